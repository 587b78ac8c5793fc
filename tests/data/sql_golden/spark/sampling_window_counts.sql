SELECT CAST(EXTRACT(HOUR FROM FROM_UTC_TIMESTAMP(`ts`, 'Europe/Berlin')) AS INT) AS `hour_of_day`, `region`, `is_retry`, COUNT(*) AS `count` FROM `analytics`.`eval_sample` GROUP BY 1, 2, 3;
-- parameters: []
