-- File: migrations/0001_init.down.sql
DROP TABLE IF EXISTS contacts;
DROP TABLE IF EXISTS refresh_tokens;
DROP TABLE IF EXISTS users;
