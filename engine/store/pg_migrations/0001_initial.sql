-- The store's tables: seed-shaped JSON documents (json keeps the seed's key order, so export is
-- lossless) plus the few columns looked up by; `pos` keeps seed (insertion) order.
CREATE TABLE users (pos bigint GENERATED ALWAYS AS IDENTITY, user_id text PRIMARY KEY, email text NOT NULL,
    first_name text NOT NULL, last_name text NOT NULL, zip text NOT NULL, doc json NOT NULL);
CREATE INDEX users_email ON users (lower(email));
CREATE INDEX users_name_zip ON users (lower(first_name), lower(last_name), zip);
CREATE INDEX users_zip ON users (zip);
CREATE TABLE orders (pos bigint GENERATED ALWAYS AS IDENTITY, order_id text PRIMARY KEY, user_id text NOT NULL,
    status text NOT NULL, doc json NOT NULL);
CREATE INDEX orders_user ON orders (user_id);
CREATE INDEX orders_status ON orders (status);
CREATE TABLE products (pos bigint GENERATED ALWAYS AS IDENTITY, product_id text PRIMARY KEY, name text NOT NULL,
    doc json NOT NULL);
CREATE INDEX products_name ON products (lower(name));
CREATE TABLE handoffs (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, user_id text, summary text NOT NULL,
    created text NOT NULL);
CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE write_log (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at text NOT NULL, op text NOT NULL,
    as_user text, user_id text, order_id text);
