-- deploy users
SELECT 1; -- Ünïcødé
