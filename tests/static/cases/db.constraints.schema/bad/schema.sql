CREATE TABLE todos (id INTEGER, title TEXT);
