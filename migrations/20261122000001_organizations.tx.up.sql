CREATE TABLE organizations (
    id {{.ID}},
    slug VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX organizations_slug_key ON organizations (slug);
