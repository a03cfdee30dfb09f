//! Updates of the desktop app: which published release a running app is offered. The app asks
//! with its version and its package kind (`linux-x86_64-deb`, …); it is offered the newest
//! release above its own that has a package of its kind, never an older one (a downgrade would
//! bring back fixed flaws).

use std::fmt;
use std::str::FromStr;

/// Release notes shown in the app: a few lines, not a manual.
pub const MAX_NOTES_CHARS: usize = 4_000;

/// A version of the app, as its packages carry it (`1.4.2`, semantic versioning).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AppVersion(semver::Version);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError {
    #[error("not a version of the form 1.4.2")]
    Version,
    #[error("unknown package kind: expected one of {}", UpdateTarget::ALL.map(|t| t.as_str()).join(", "))]
    Target,
    #[error("the file is not a package of this kind")]
    NotThatKind,
    #[error("the release notes are empty")]
    NotesEmpty,
    #[error("the release notes are longer than {MAX_NOTES_CHARS} characters")]
    NotesTooLong,
}

impl ReleaseError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Version => "release_version",
            Self::Target => "release_target",
            Self::NotThatKind => "release_package_kind",
            Self::NotesEmpty => "release_notes_empty",
            Self::NotesTooLong => "release_notes_too_long",
        }
    }
}

impl AppVersion {
    /// A version for testers (`1.5.0-beta.1`), not for everyone.
    pub fn is_pre_release(&self) -> bool {
        !self.0.pre.is_empty()
    }
}

impl FromStr for AppVersion {
    type Err = ReleaseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // Build metadata (`+abc`) is ignored by the ordering: two versions that differ only
        // there would be one release offered twice.
        match semver::Version::parse(text.trim()) {
            Ok(version) if version.build.is_empty() => Ok(Self(version)),
            _ => Err(ReleaseError::Version),
        }
    }
}

impl fmt::Display for AppVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The kind of package an installed app came from: the updater replaces it with a package of
/// the same kind. Named as the updater names them, `{os}-{arch}-{bundle}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumString, strum::IntoStaticStr)]
pub enum UpdateTarget {
    #[strum(serialize = "linux-x86_64-deb")]
    LinuxDeb,
    #[strum(serialize = "linux-x86_64-rpm")]
    LinuxRpm,
    #[strum(serialize = "linux-x86_64-appimage")]
    LinuxAppImage,
    #[strum(serialize = "windows-x86_64-nsis")]
    WindowsNsis,
    #[strum(serialize = "windows-x86_64-msi")]
    WindowsMsi,
    #[strum(serialize = "darwin-aarch64-app")]
    MacArm,
    #[strum(serialize = "darwin-x86_64-app")]
    MacIntel,
}

impl UpdateTarget {
    pub const ALL: [Self; 7] = [
        Self::LinuxDeb,
        Self::LinuxRpm,
        Self::LinuxAppImage,
        Self::WindowsNsis,
        Self::WindowsMsi,
        Self::MacArm,
        Self::MacIntel,
    ];

    pub fn parse(text: &str) -> Result<Self, ReleaseError> {
        text.parse().map_err(|_| ReleaseError::Target)
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether `package` starts as a package of this kind does: publishing the `.rpm` as the
    /// `.deb` would break every update of that kind.
    pub fn accepts(self, package: &[u8]) -> bool {
        let magic: &[u8] = match self {
            Self::LinuxDeb => b"!<arch>\ndebian-binary",
            Self::LinuxRpm => &[0xED, 0xAB, 0xEE, 0xDB],
            Self::LinuxAppImage => b"\x7fELF",
            Self::WindowsNsis => b"MZ",
            Self::WindowsMsi => &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            // The macOS update is the `.app` as a `.tar.gz`.
            Self::MacArm | Self::MacIntel => &[0x1F, 0x8B],
        };
        package.starts_with(magic)
    }
}

/// Release notes, checked: present and short enough to read in the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseNotes(String);

impl ReleaseNotes {
    pub fn parse(text: &str) -> Result<Self, ReleaseError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ReleaseError::NotesEmpty);
        }
        if text.chars().count() > MAX_NOTES_CHARS {
            return Err(ReleaseError::NotesTooLong);
        }
        Ok(Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The release a running app is offered among those published with a package of its kind: the
/// newest above its own version on its channel, or none. An app of a stable version (`1.4.2`)
/// is on the stable channel and never offered a pre-release (`1.5.0-beta.1`); an app of a
/// pre-release is on the testers' channel and offered the newest of either.
pub fn update_for<'a, R>(
    current: &AppVersion,
    published: &'a [R],
    version: impl Fn(&R) -> &AppVersion,
) -> Option<&'a R> {
    let on_its_channel = |candidate: &AppVersion| current.is_pre_release() || !candidate.is_pre_release();
    published
        .iter()
        .filter(|release| version(release) > current && on_its_channel(version(release)))
        .max_by(|a, b| version(a).cmp(version(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> AppVersion {
        text.parse().unwrap()
    }

    #[test]
    fn a_stable_app_is_never_offered_a_pre_release_and_a_testers_app_is_offered_both() {
        let published = [v("0.5.0"), v("0.6.0-beta.1"), v("0.5.1")];
        assert_eq!(update_for(&v("0.5.0"), &published, |r| r), Some(&v("0.5.1")));
        assert_eq!(update_for(&v("0.5.1"), &published, |r| r), None);
        assert_eq!(update_for(&v("0.5.1-beta.2"), &published, |r| r), Some(&v("0.6.0-beta.1")));
        let with_stable = [v("0.6.0-beta.1"), v("0.6.0")];
        assert_eq!(update_for(&v("0.6.0-beta.1"), &with_stable, |r| r), Some(&v("0.6.0")), "testers reach the release");
    }

    #[test]
    fn an_app_is_offered_the_newest_release_above_its_own_version() {
        let published = [v("0.1.1"), v("0.3.0"), v("0.2.9"), v("0.1.0")];
        assert_eq!(update_for(&v("0.1.0"), &published, |r| r), Some(&v("0.3.0")));
        assert_eq!(
            update_for(&v("0.2.10"), &published, |r| r),
            Some(&v("0.3.0")),
            "versions compare by number, not as text"
        );
    }

    #[test]
    fn an_up_to_date_app_is_offered_nothing_and_never_an_older_release() {
        let published = [v("0.1.0"), v("0.2.0")];
        assert_eq!(update_for(&v("0.2.0"), &published, |r| r), None);
        assert_eq!(update_for(&v("1.0.0"), &published, |r| r), None, "no downgrade");
        assert_eq!(update_for::<AppVersion>(&v("0.1.0"), &[], |r| r), None);
    }

    #[test]
    fn a_test_version_is_below_its_release() {
        assert!(v("1.0.0-rc.1") < v("1.0.0"));
        assert_eq!(update_for(&v("1.0.0-rc.1"), &[v("1.0.0")], |r| r), Some(&v("1.0.0")));
    }

    #[test]
    fn versions_and_package_kinds_are_checked() {
        for bad in ["", "1", "1.2", "v1.2.3", "1.2.3.4", "1.2.3+build5", "../1.2.3", "1.2.3/x"] {
            assert_eq!(bad.parse::<AppVersion>(), Err(ReleaseError::Version), "{bad:?}");
        }
        assert_eq!(UpdateTarget::parse("linux-x86_64-deb"), Ok(UpdateTarget::LinuxDeb));
        assert_eq!(UpdateTarget::LinuxRpm.as_str(), "linux-x86_64-rpm");
        for bad in ["linux", "linux-x86_64", "linux-x86_64-DEB", "linux-x86_64-unknown", "../deb"] {
            assert_eq!(UpdateTarget::parse(bad), Err(ReleaseError::Target), "{bad:?}");
        }
        for target in UpdateTarget::ALL {
            assert_eq!(UpdateTarget::parse(target.as_str()), Ok(target));
        }
    }

    #[test]
    fn a_package_is_published_only_under_its_own_kind() {
        let deb = b"!<arch>\ndebian-binary   1700000000  0     0     100644  4         `\n2.0\n";
        let rpm = [0xED, 0xAB, 0xEE, 0xDB, 3, 0];
        assert!(UpdateTarget::LinuxDeb.accepts(deb));
        assert!(!UpdateTarget::LinuxDeb.accepts(&rpm), "an .rpm is not a .deb");
        assert!(UpdateTarget::LinuxRpm.accepts(&rpm));
        assert!(!UpdateTarget::LinuxRpm.accepts(deb));
        assert!(!UpdateTarget::LinuxDeb.accepts(b"!<arch>\nother"), "an ar archive that is no Debian package");
        for target in UpdateTarget::ALL {
            assert!(!target.accepts(b""), "{target:?}: an empty file");
        }
    }

    #[test]
    fn release_notes_are_present_and_short() {
        assert_eq!(
            ReleaseNotes::parse("  Corrige l'envoi des photos.\n").unwrap().as_str(),
            "Corrige l'envoi des photos."
        );
        assert_eq!(ReleaseNotes::parse(" \n "), Err(ReleaseError::NotesEmpty));
        assert_eq!(
            ReleaseNotes::parse(&"é".repeat(MAX_NOTES_CHARS)).map(|n| n.as_str().chars().count()),
            Ok(MAX_NOTES_CHARS)
        );
        assert_eq!(ReleaseNotes::parse(&"é".repeat(MAX_NOTES_CHARS + 1)), Err(ReleaseError::NotesTooLong));
    }
}
