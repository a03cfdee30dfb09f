//! Where the app keeps its data and saves what the person downloads: the system's own folders,
//! found the way each system says (Windows: its known folders, so a French Windows's
//! « Téléchargements » and a folder the person moved elsewhere; Linux: XDG; macOS: `~/Library`
//! and `~/Downloads`), never a name written here. The same folders as Tauri's `app_data_dir`
//! and `download_dir`, chosen here so the tests reach them, under Wine too.

use std::path::PathBuf;

/// The app's folders on this computer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folders {
    /// The local files (encrypted), the documents kept before they are sent, the logs.
    pub data: PathBuf,
    /// Where PDFs and « Mes données » are saved.
    pub downloads: PathBuf,
}

#[derive(Debug, thiserror::Error)]
#[error("this computer's user has no data folder (no home folder or profile)")]
pub struct NoDataFolder;

impl Folders {
    /// The system's folders for the app named `identifier`, unless the overrides (`CQC_DATA_DIR`,
    /// `CQC_DOWNLOAD_DIR`: tests, a portable install) say otherwise. Without a Downloads folder,
    /// the home folder.
    pub fn choose(
        identifier: &str,
        data_override: Option<PathBuf>,
        downloads_override: Option<PathBuf>,
    ) -> Result<Self, NoDataFolder> {
        let data = data_override.or_else(|| dirs::data_dir().map(|dir| dir.join(identifier))).ok_or(NoDataFolder)?;
        let downloads = downloads_override.or_else(dirs::download_dir).or_else(dirs::home_dir).unwrap_or(data.clone());
        Ok(Self { data, downloads })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "fr.cqc.desktop";

    #[test]
    fn the_overrides_win_over_the_systems_folders() {
        let chosen = Folders::choose(APP, Some("/tmp/données".into()), Some("/tmp/pdf".into())).unwrap();
        assert_eq!(chosen, Folders { data: "/tmp/données".into(), downloads: "/tmp/pdf".into() });
    }

    /// Roaming application data (`%APPDATA%`: it follows the person's profile between a centre's
    /// computers), and the Downloads known folder by its path, whatever name Explorer shows.
    #[cfg(windows)]
    #[test]
    fn on_windows_the_data_goes_under_appdata_and_downloads_to_the_known_folder() {
        let chosen = Folders::choose(APP, None, None).unwrap();
        let appdata = PathBuf::from(std::env::var_os("APPDATA").expect("Windows sets APPDATA"));
        assert_eq!(chosen.data, appdata.join(APP));
        let profile = PathBuf::from(std::env::var_os("USERPROFILE").expect("Windows sets USERPROFILE"));
        assert_eq!(chosen.downloads, profile.join("Downloads"));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn on_linux_the_data_goes_under_the_xdg_data_folder() {
        let chosen = Folders::choose(APP, None, None).unwrap();
        let home = PathBuf::from(std::env::var_os("HOME").unwrap());
        let xdg = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).unwrap_or(home.join(".local/share"));
        assert_eq!(chosen.data, xdg.join(APP));
    }
}
