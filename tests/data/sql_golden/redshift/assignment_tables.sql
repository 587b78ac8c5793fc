SELECT "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1;
-- parameters: []
SELECT "region" AS "value", "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1, 2;
-- parameters: []
SELECT COUNT(DISTINCT "prompt_len") AS "distinct", PERCENTILE_CONT(0.0) WITHIN GROUP (ORDER BY CAST("prompt_len" AS DOUBLE PRECISION)) AS "q0", PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY CAST("prompt_len" AS DOUBLE PRECISION)) AS "q1", PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY CAST("prompt_len" AS DOUBLE PRECISION)) AS "q2", PERCENTILE_CONT(0.75) WITHIN GROUP (ORDER BY CAST("prompt_len" AS DOUBLE PRECISION)) AS "q3", PERCENTILE_CONT(1.0) WITHIN GROUP (ORDER BY CAST("prompt_len" AS DOUBLE PRECISION)) AS "q4" FROM "assignments";
-- parameters: []
SELECT CASE WHEN CAST("prompt_len" AS DOUBLE PRECISION) IS NULL THEN %s WHEN CAST("prompt_len" AS DOUBLE PRECISION) < %s THEN %s WHEN CAST("prompt_len" AS DOUBLE PRECISION) < %s THEN %s WHEN CAST("prompt_len" AS DOUBLE PRECISION) < %s THEN %s ELSE %s END AS "value", "arm" AS "arm", COUNT(*) AS "count" FROM "assignments" GROUP BY 1, 2;
-- parameters: ["missing", 1.0, "<= 1", 2.0, "in 1-2", 3.0, "in 2-3", "> 3"]
SELECT "arm" AS "arm", COUNT(CAST("tokens" AS DOUBLE PRECISION)) AS "count", SUM(CAST("tokens" AS DOUBLE PRECISION)) AS "sum", SUM(CAST("tokens" AS DOUBLE PRECISION) * CAST("tokens" AS DOUBLE PRECISION)) AS "sum_sq" FROM "assignments" GROUP BY 1;
-- parameters: []
