-- Deploy flipr:users to sqlite

BEGIN;
CREATE TABLE users (id INTEGER);
COMMIT;
