SELECT "item_id", "criterion", "period", LOWER(TRIM(CAST("rater_type" AS TEXT))) AS "rater_type", COUNT(CAST("score" AS DOUBLE)) AS "count", SUM(CAST("score" AS DOUBLE)) AS "sum", MIN(CAST("score" AS DOUBLE)) AS "min", MAX(CAST("score" AS DOUBLE)) AS "max", SUM(CASE WHEN CAST("score" AS DOUBLE) IS NULL THEN 1 ELSE 0 END) AS "missing" FROM "ratings" GROUP BY 1, 2, 3, 4;
-- parameters: []
