SELECT "batch" AS "batch", "item_id" AS "item_id", "label" AS "label", COUNT(*) AS "count" FROM (SELECT batch, item_id, label FROM raw_labels WHERE reviewed) AS "query" WHERE NOT "label" IS NULL GROUP BY 1, 2, 3;
-- parameters: []
