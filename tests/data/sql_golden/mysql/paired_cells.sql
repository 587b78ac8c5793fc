SELECT `a`.`skill` AS `skill`, `a`.`correct` AS `teacher_correct`, `b`.`correct` AS `student_correct`, COUNT(*) AS `count` FROM `teacher` AS `a` INNER JOIN `student` AS `b` ON `a`.`example_id` = `b`.`example_id` GROUP BY 1, 2, 3;
-- parameters: []
