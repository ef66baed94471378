-- Revert flipr:widgets from sqlite

BEGIN;
DROP TABLE widgets;
COMMIT;
