SELECT `batch` AS `batch`, `item_id` AS `item_id`, `label` AS `label`, COUNT(*) AS `count` FROM `labels` WHERE NOT `label` IS NULL GROUP BY 1, 2, 3;
-- parameters: []
