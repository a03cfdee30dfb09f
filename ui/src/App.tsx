import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { api, asApiError } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { AppStatus } from "./bindings/AppStatus";
import type { LinkPurpose } from "./bindings/LinkPurpose";
import type { Profile } from "./bindings/Profile";
import { type Lang, LangContext, dictionaries } from "./i18n";
import { Correction } from "./features/account/Correction";
import { OpenLink, screenOfLink } from "./features/account/OpenLink";
import { Forgot, SetPassword } from "./features/account/Password";
import { InactivityLock } from "./features/account/InactivityLock";
import { KeysQuestion } from "./features/account/KeysQuestion";
import { Login } from "./features/account/Login";
import { ProfileChoice, Register, Registered } from "./features/account/Register";
import { UpdateBanner } from "./features/updates/UpdateBanner";
import { updateTexts } from "./i18n-updates";
import { focusFirstErrorAfterSend } from "./components/focusErrors";

// Each space is loaded when its role logs in: the first screen (login) parses 293 KB of script
// instead of 411, and a driver's computer never parses the agent's space.
const AdminSpace = lazy(() => import("./spaces/AdminSpace").then((m) => ({ default: m.AdminSpace })));
const AgentSpace = lazy(() => import("./spaces/AgentSpace").then((m) => ({ default: m.AgentSpace })));
const CentreSpace = lazy(() => import("./spaces/CentreSpace").then((m) => ({ default: m.CentreSpace })));
const DriverHome = lazy(() => import("./spaces/DriverHome").then((m) => ({ default: m.DriverHome })));

export type Screen =
  | { name: "login" }
  | { name: "profile" }
  | { name: "register" }
  | { name: "registered"; email: string }
  | { name: "link"; error?: ApiError }
  | { name: "password"; token: string; purpose: LinkPurpose; email: string }
  | { name: "forgot" }
  | { name: "correction"; token: string }
  | { name: "home" };

export type Navigate = (screen: Screen) => void;

/** How often the app checks that the server answers. */
const STATUS_POLL_MS = 15_000;

export function App() {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem("lang") as Lang) || "fr");
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [screen, setScreen] = useState<Screen>({ name: "login" });
  const [version, setVersion] = useState<string | null>(null);

  const wasOnline = useRef(true);

  const refreshStatus = useCallback(async (initial: boolean) => {
    try {
      const next = await api.appStatus();
      setStatus(next);
      // The network is back: what waits on this computer goes out at once.
      if (next.online && !wasOnline.current && next.profile) void api.syncNow().catch(() => undefined);
      wasOnline.current = next.online;
      if (initial && next.profile) {
        setProfile(next.profile);
        // A link the app was opened with keeps its screen: the status answers later.
        setScreen((current) => (current.name === "login" ? { name: "home" } : current));
      }
    } catch {
      setStatus((s) => (s ? { ...s, online: false } : s));
    }
  }, []);

  useEffect(() => {
    void refreshStatus(true);
    const timer = setInterval(() => void refreshStatus(false), STATUS_POLL_MS);
    return () => clearInterval(timer);
  }, [refreshStatus]);

  // A `cqc://` link from an email: the app opens on its screen, at start or while it runs.
  useEffect(() => {
    const openTheLink = () =>
      api.takeOpenedLink().then(
        (link) => link && setScreen(screenOfLink(link)),
        (error) => setScreen({ name: "link", error: asApiError(error) }),
      );
    void openTheLink();
    const stop = api.onLinkOpened(openTheLink);
    return () => void stop.then((unlisten) => unlisten());
  }, []);

  useEffect(() => focusFirstErrorAfterSend(), []);

  useEffect(() => {
    localStorage.setItem("lang", lang);
    document.documentElement.lang = lang;
  }, [lang]);

  const t = dictionaries[lang];
  const loggedIn = (p: Profile) => {
    setProfile(p);
    setScreen({ name: "home" });
  };
  const loggedOut = () => {
    // The next account opens on its own last section, not on this one's address.
    window.history.replaceState(null, "", window.location.pathname);
    setProfile(null);
    setScreen({ name: "login" });
  };

  return (
    <LangContext.Provider value={lang}>
      <header className="app-header">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            95
          </span>
          <span>
            <strong>CQC</strong> · {t.appTitle}
          </span>
        </div>
        {/* In the header's own height: going offline or back never moves the screen under the pointer. */}
        <div className="header-status" role="status">
          {status && !status.online && (
            <span className="offline-pill" data-testid="offline-notice" title={t.offlineDetail}>
              {t.offline}
            </span>
          )}
        </div>
        <button
          className="link-button"
          onClick={() => setLang(lang === "fr" ? "en" : "fr")}
          lang={lang === "fr" ? "en" : "fr"}
        >
          {t.switchLang}
        </button>
      </header>
      <UpdateBanner
        online={status?.online ?? false}
        onStatus={(found) => setVersion(found.current_version)}
      />
      <main className="app-main">{render()}</main>
      {version && <footer className="app-footer">{updateTexts[lang].version(version)}</footer>}
    </LangContext.Provider>
  );

  function render() {
    const go: Navigate = setScreen;
    if (status && !status.keys_ready) return <KeysQuestion onChosen={() => void refreshStatus(true)} />;
    switch (screen.name) {
      case "login":
        return (
          <Login go={go} onLoggedIn={loggedIn} pendingEmail={status?.pending_registration_email ?? null} />
        );
      case "profile":
        return <ProfileChoice go={go} />;
      case "register":
        return <Register go={go} />;
      case "registered":
        return <Registered go={go} email={screen.email} />;
      case "link":
        return <OpenLink go={go} error={screen.error} />;
      case "password":
        return <SetPassword go={go} token={screen.token} purpose={screen.purpose} email={screen.email} />;
      case "forgot":
        return <Forgot go={go} />;
      case "correction":
        return <Correction go={go} token={screen.token} />;
      case "home":
        if (!profile) return <Login go={go} onLoggedIn={loggedIn} pendingEmail={null} />;
        return (
          <InactivityLock key={profile.account_id} profile={profile} onLoggedOut={loggedOut}>
            <Suspense
              fallback={
                <p className="muted" role="status">
                  {dictionaries[lang].loading}
                </p>
              }
            >
              {space(profile)}
            </Suspense>
          </InactivityLock>
        );
    }
  }

  function space(profile: Profile) {
    switch (profile.role) {
      case "agent":
        return <AgentSpace profile={profile} onLoggedOut={loggedOut} />;
      case "centre_staff":
        return <CentreSpace profile={profile} online={status?.online ?? false} onLoggedOut={loggedOut} />;
      case "driver":
        return <DriverHome profile={profile} online={status?.online ?? false} onLoggedOut={loggedOut} />;
      case "admin":
        return <AdminSpace profile={profile} online={status?.online ?? false} onLoggedOut={loggedOut} />;
    }
  }
}
