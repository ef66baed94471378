-- deploy flips
SELECT 1; -- Ünïcødé
