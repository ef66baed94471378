-- Deploy flipr:widgets to sqlite

BEGIN;
CREATE TABLE widgets (id INTEGER);
COMMIT;
