-- revert café
SELECT 1; -- Ünïcødé
