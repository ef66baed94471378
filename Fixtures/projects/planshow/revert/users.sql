-- revert users
SELECT 1; -- Ünïcødé
