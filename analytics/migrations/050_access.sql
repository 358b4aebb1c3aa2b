-- Accounts and the access log (issue 7: who may do what).
-- Passwords are stored only as argon2id hashes (salted, slow); an account without a hash signs
-- in through the identity provider (OIDC) and is matched on its e-mail address.

CREATE TABLE users (
    name          VARCHAR PRIMARY KEY,              -- sign-in name, or the e-mail the IdP reports
    password_hash VARCHAR,                          -- argon2id, NULL for OIDC-only accounts
    role          VARCHAR NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    projects      VARCHAR[] NOT NULL DEFAULT [],    -- editor: may write these; viewer: sees only these (empty: all)
    created_at    TIMESTAMP NOT NULL,
    created_by    VARCHAR NOT NULL
);

-- Every refused write, every failed or throttled sign-in, and account changes. The sign-in
-- rate limit counts the failures here, so it holds across sessions and server restarts.
CREATE SEQUENCE access_log_id;
CREATE TABLE access_log (
    id       BIGINT PRIMARY KEY DEFAULT nextval('access_log_id'),
    logged_at TIMESTAMP NOT NULL,                   -- UTC
    event    VARCHAR NOT NULL,                      -- see analytics.audit.EVENTS
    actor    VARCHAR,                               -- who (or which name was tried)
    role     VARCHAR,
    action   VARCHAR,
    scope    VARCHAR,                               -- projects concerned
    session  VARCHAR,                               -- Streamlit session id, for the per-session limit
    detail   VARCHAR
);
CREATE INDEX access_log_recent ON access_log (event, logged_at);
