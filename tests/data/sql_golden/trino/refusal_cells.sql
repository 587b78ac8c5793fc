SELECT "a"."category" AS "category", "a"."expected" AS "expected", "a"."label" AS "baseline", "b"."label" AS "candidate", COUNT(*) AS "count" FROM "xstest"."base" AS "a" INNER JOIN "xstest"."tuned" AS "b" ON "a"."prompt_id" = "b"."prompt_id" GROUP BY 1, 2, 3, 4;
-- parameters: []
