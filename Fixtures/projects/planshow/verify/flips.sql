-- verify flips
SELECT 1; -- Ünïcødé
