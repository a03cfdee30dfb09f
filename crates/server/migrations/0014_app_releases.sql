-- Versions of the desktop app published for its updater (`cqc-server publish-update`): the notes
-- shown in the app, and per kind of package its signature and where the package is stored.
CREATE TABLE app_releases (
    version TEXT PRIMARY KEY,
    notes TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE TABLE app_release_packages (
    version TEXT NOT NULL REFERENCES app_releases (version),
    target TEXT NOT NULL,
    signature TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    PRIMARY KEY (version, target)
);
