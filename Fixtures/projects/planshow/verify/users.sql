-- verify users
SELECT 1; -- Ünïcødé
