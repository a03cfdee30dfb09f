//! What the end-to-end tests share: a real central server on a loopback port, the real built app
//! driven through tauri-driver (WebKitWebDriver), screenshots saved as artefacts, and the emails
//! read from the server's outbox as a mail client would.
#![allow(dead_code)]

use cqc_server::clock::SystemClock;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

pub struct Server {
    pub url: String,
    pub state: cqc_server::AppState,
    pub data_dir: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    pub async fn start(data_dir: &Path) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        Self::serve_on(listener, url, data_dir).await
    }

    async fn serve_on(listener: tokio::net::TcpListener, url: String, data_dir: &Path) -> Self {
        let config = cqc_server::Config::local(data_dir.to_owned(), url.clone());
        let state = cqc_server::prepare(&config, Arc::new(SystemClock)).await.expect("server starts");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(cqc_server::serve(listener, state.clone(), async move {
            let _ = stopped.await;
        }));
        Self { url, state, data_dir: data_dir.to_owned(), stop: Some(stop), serving: Some(serving) }
    }

    /// Stops answering: the app sees the network gone.
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(serving) = self.serving.take() {
            let _ = tokio::time::timeout(Duration::from_secs(10), serving).await;
        }
    }

    /// Starts again on the same address and data.
    pub async fn restart(&mut self) {
        self.stop().await;
        let address = self.url.trim_start_matches("http://").to_owned();
        let listener = tokio::net::TcpListener::bind(&address).await.expect("the port is free again");
        *self = Self::serve_on(listener, self.url.clone(), &self.data_dir.clone()).await;
    }

    pub fn client(&self) -> cqc_client::client::ApiClient {
        cqc_client::client::ApiClient::new(&self.url)
    }

    pub async fn create_agent(&self, email: &str, password: &str) {
        cqc_server::admin::create_agent(&self.state.db, &SystemClock, email, "Agnès Traitement", password)
            .await
            .unwrap();
    }

    /// The first administrator, as `cqc-server create-admin` makes it.
    pub async fn create_admin(&self, email: &str, password: &str) {
        cqc_server::admin::create_admin(&self.state.db, &SystemClock, email, "Alice Administratrice", password)
            .await
            .unwrap();
    }

    /// A driver whose account an agent accepted and who set their password.
    pub async fn active_driver(&self, input: &cqc_domain::registration::RegistrationInput, password: &str) {
        let agent_email = "agent.accueil@cqc.localhost";
        self.create_agent(agent_email, password).await;
        let receipt = self.client().register(input).await.unwrap();
        let agent = self.client().login(agent_email, password).await.unwrap();
        self.client().with_token(Some(agent.token)).accept_registration(&receipt.request_id).await.unwrap();
        let link = self.emailed_link(&receipt.email, "créez votre mot de passe").await;
        let token = cqc_sync::api::token_from_link(&link).unwrap();
        let request =
            cqc_sync::api::SetPasswordRequest { token, password: password.into(), confirmation: password.into() };
        self.client().set_password(&request).await.unwrap();
    }

    /// An approved centre and one staff account.
    pub async fn centre_with_staff(&self, approval: &str, email: &str, password: &str) {
        let db = &self.state.db;
        cqc_server::admin::create_centre(
            db,
            &SystemClock,
            "Centre routier de Vénissieux",
            approval,
            "3 allée des Forgerons, 69200 Vénissieux",
        )
        .await
        .unwrap();
        cqc_server::admin::create_centre_staff(db, &SystemClock, approval, email, "Françoise Formatrice", password)
            .await
            .unwrap();
    }

    /// A training recorded by a centre for the licence `licence_number`: its certificate opens
    /// the card application.
    pub async fn training_for(&self, licence_number: &str) {
        self.training_ended(licence_number, None).await;
    }

    /// The same, its five days ending on `ended` (the fixture's dates when `None`).
    pub async fn training_ended(&self, licence_number: &str, ended: Option<time::Date>) {
        let (staff, password) = ("poste.formation@centre.fr", "Centre-Passe-2024!");
        self.centre_with_staff("AGR-13-0001", staff, password).await;
        let session = self.client().login(staff, password).await.unwrap();
        let fixture = cqc_domain::training::fixtures::valid_fco();
        let (start_date, end_date) = match ended {
            Some(end) => ((end - time::Duration::days(4)).to_string(), end.to_string()),
            None => (fixture.start_date.clone(), fixture.end_date.clone()),
        };
        let record = cqc_domain::training::TrainingRecordInput {
            licence_number: licence_number.into(),
            start_date,
            end_date,
            ..fixture
        };
        let change = cqc_sync::protocol::Change::RecordTraining { training_id: "t-e2e".into(), record };
        let mutation = cqc_sync::protocol::Mutation { seq: 1, id: uuid::Uuid::new_v4().to_string(), change };
        let push =
            cqc_sync::protocol::PushRequest { client_id: uuid::Uuid::new_v4().to_string(), mutations: vec![mutation] };
        self.client().with_token(Some(session.token)).push(&push).await.unwrap();
    }

    /// The agent's API client (the agent `active_driver` made).
    pub async fn agent(&self, password: &str) -> cqc_client::client::ApiClient {
        let session = self.client().login("agent.accueil@cqc.localhost", password).await.unwrap();
        self.client().with_token(Some(session.token))
    }

    /// An active driver (`input`) whose card was applied for, approved, made, shipped and
    /// delivered through the API: what the replacement tests start from. Answers the card's id.
    pub async fn delivered_card(&self, input: &cqc_domain::registration::RegistrationInput, password: &str) -> String {
        self.delivered_card_after(input, password, None).await
    }

    /// The same after a training ended on `ended` (its code 95 runs 5 years from there).
    pub async fn delivered_card_after(
        &self,
        input: &cqc_domain::registration::RegistrationInput,
        password: &str,
        ended: Option<time::Date>,
    ) -> String {
        self.active_driver(input, password).await;
        self.training_ended(&input.licence_number, ended).await;
        let session = self.client().login(&input.email, password).await.unwrap();
        let driver = self.client().with_token(Some(session.token));
        let id = cqc_testkit::cards::complete_draft_to(&driver, &input.address).await;
        driver.submit_application(&id).await.unwrap();
        let agent = self.agent(password).await;
        agent.open_application(&id).await.unwrap();
        let card_id = agent.approve_application(&id).await.unwrap().application.card_id.unwrap();
        for event in [
            cqc_domain::card::CardEvent::Print,
            cqc_domain::card::CardEvent::Ship,
            cqc_domain::card::CardEvent::Deliver,
        ] {
            self.card_step(&card_id, event, password).await;
        }
        card_id
    }

    /// The agent moves a card one step.
    pub async fn card_step(&self, card_id: &str, event: cqc_domain::card::CardEvent, password: &str) {
        let request = cqc_sync::applications::CardStepRequest { card_ids: vec![card_id.to_owned()], event };
        self.agent(password).await.card_step(&request).await.unwrap();
    }

    /// The first link (`…jeton=…`) of the email to `to` whose subject contains `subject`.
    pub async fn emailed_link(&self, to: &str, subject: &str) -> String {
        cqc_testkit::outbox::Outbox::new(&self.data_dir.join("outbox")).link(to, subject).await
    }

    /// The same email's link for the installed app (`cqc://…`).
    pub async fn emailed_app_link(&self, to: &str, subject: &str) -> String {
        cqc_testkit::outbox::Outbox::new(&self.data_dir.join("outbox")).app_link(to, subject).await
    }
}

/// tauri-driver, started on free ports in a process group of its own, so that dropping it stops
/// it with the WebKitWebDriver and the app it started (a killed tauri-driver leaves them running).
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    pub fn start(app_env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let native_port = free_port();
        let mut command = Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        command.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()]);
        for (key, value) in app_env {
            command.env(key, value);
        }
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .stdout(if std::env::var_os("CQC_APP_LOGS").is_some() { Stdio::inherit() } else { Stdio::null() })
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver runs (scripts/install-deps.sh installs it, with Debian's WebKitWebDriver)");
        Self { child, port }
    }

    pub async fn app(&self, screenshots: &Path) -> App {
        self.app_with_args(screenshots, &[]).await
    }

    /// The app started with `args` on its command line (as the desktop starts it for a link).
    pub async fn app_with_args(&self, screenshots: &Path, args: &[&str]) -> App {
        let mut capabilities = serde_json::Map::new();
        let options = serde_json::json!({ "application": app_binary(), "args": args });
        capabilities.insert("tauri:options".into(), options);
        capabilities.insert("browserName".into(), "wry".into());
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut last_error = None;
        for _ in 0..50 {
            match ClientBuilder::native().capabilities(capabilities.clone()).connect(&url).await {
                Ok(client) => {
                    std::fs::create_dir_all(screenshots).unwrap();
                    return App { client, screenshots: screenshots.to_owned(), shots: 0 };
                }
                Err(e) => last_error = Some(e),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("the app did not start under tauri-driver: {last_error:?}");
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

/// A D-Bus session bus of the test's own (what a desktop session has), without services started
/// on demand; stopped when dropped.
pub struct SessionBus {
    child: Child,
    pub address: String,
}

impl SessionBus {
    pub fn start() -> Self {
        let config = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/session-bus.conf");
        let mut child = Command::new("dbus-daemon")
            .args(["--config-file", config, "--print-address", "--nofork"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs (package dbus-daemon)");
        let mut address = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.as_mut().unwrap()), &mut address)
            .unwrap();
        Self { child, address: address.trim().to_owned() }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the app asks the desktop to show as system notifications: the `Notify` calls on the
/// session bus, read with dbus-monitor (whether or not a notification service answers them).
pub struct SystemNotifications {
    child: Child,
    seen: Arc<std::sync::Mutex<String>>,
}

impl SystemNotifications {
    pub fn watch() -> Self {
        let mut child = Command::new("dbus-monitor")
            .args(["--session", "type='method_call',interface='org.freedesktop.Notifications',member='Notify'"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-monitor runs (package dbus-bin)");
        let seen = Arc::new(std::sync::Mutex::new(String::new()));
        let (out, into) = (child.stdout.take().unwrap(), seen.clone());
        std::thread::spawn(move || {
            for line in std::io::BufRead::lines(std::io::BufReader::new(out)).map_while(Result::ok) {
                into.lock().unwrap().push_str(&line);
            }
        });
        Self { child, seen }
    }

    /// Waits until a notification whose text holds `text` was asked for.
    pub async fn wait_for(&self, text: &str) {
        for _ in 0..600 {
            if self.seen.lock().unwrap().contains(text) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no system notification « {text} »: {}", self.seen.lock().unwrap());
    }
}

impl Drop for SystemNotifications {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The app under test: the one just built, or (`CQC_APP_BINARY`) the one a package installed.
pub fn app_binary() -> String {
    std::env::var("CQC_APP_BINARY").unwrap_or_else(|_| env!("CARGO_BIN_EXE_cqc-desktop").to_owned())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The app's window, used as a person would: find by label or text, type, click, look.
pub struct App {
    pub client: Client,
    screenshots: PathBuf,
    shots: u32,
}

const WAIT: Duration = Duration::from_secs(20);

impl App {
    pub async fn wait_css(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => self.fail(&format!("no {css}: {e}")).await,
        }
    }

    /// Waits until nothing on the page matches `css` (a dialog closed, a screen left).
    pub async fn wait_gone(&self, css: &str) {
        let deadline = std::time::Instant::now() + WAIT;
        while self.client.find(Locator::Css(css)).await.is_ok() {
            if std::time::Instant::now() > deadline {
                self.fail(&format!("{css} still there")).await;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Keeps what the window showed (screenshot and page text) next to the screenshots, then
    /// fails the test: a failure on a CI machine can be looked at afterwards.
    async fn fail(&self, why: &str) -> ! {
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(self.screenshots.join("echec.png"), png);
        }
        if let Ok(text) = self.client.execute("return document.body.innerText;", vec![]).await {
            let _ = std::fs::write(self.screenshots.join("echec.txt"), text.as_str().unwrap_or_default());
        }
        panic!("{why} (see {}/echec.png)", self.screenshots.display());
    }

    /// Waits until the page shows `text` somewhere.
    pub async fn wait_text(&self, text: &str) {
        let xpath = format!("//*[contains(normalize-space(.), {})]", xpath_literal(text));
        if let Err(e) = self.client.wait().at_most(WAIT).for_element(Locator::XPath(&xpath)).await {
            self.fail(&format!("no text « {text} »: {e}")).await;
        }
    }

    pub async fn click_button(&self, label: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(label));
        let button = match self.client.wait().at_most(WAIT).for_element(Locator::XPath(&xpath)).await {
            Ok(button) => button,
            Err(e) => self.fail(&format!("no button « {label} »: {e}")).await,
        };
        button.click().await.unwrap();
    }

    /// Scrolls the element to the middle of the window, as a person would, then clicks it.
    pub async fn click(&self, css: &str) {
        self.show(css).await.click().await.unwrap();
    }

    /// Clicks until the page shows `text`: a section that finishes loading just after the
    /// element was found still in place can move it between the look and the click.
    pub async fn click_for_text(&self, css: &str, text: &str) {
        let xpath = format!("//*[contains(normalize-space(.), {})]", xpath_literal(text));
        for _ in 0..3 {
            self.click(css).await;
            let shown = self.client.wait().at_most(Duration::from_secs(3)).for_element(Locator::XPath(&xpath)).await;
            // Gone means the click did land: only the answer is slow.
            if shown.is_ok() || self.client.find(Locator::Css(css)).await.is_err() {
                return self.wait_text(text).await;
            }
        }
        self.fail(&format!("clicking {css} never showed « {text} »")).await
    }

    /// Scrolls the element to the middle of the window and waits until it stays put and nothing
    /// covers its middle: sections that finish loading above it would otherwise move it away from
    /// under the click, and the click would land on whatever took its place.
    pub async fn show(&self, css: &str) -> fantoccini::elements::Element {
        let element = self.wait_css(css).await;
        let script = "arguments[0].scrollIntoView({ block: 'center' });
             const box = arguments[0].getBoundingClientRect();
             const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
             const reachable = hit !== null && arguments[0].contains(hit);
             return [box.x, box.y, box.width, box.height, reachable].join(',');";
        let mut last = String::new();
        for _ in 0..50 {
            let place = self.client.execute(script, vec![serde_json::to_value(&element).unwrap()]).await.unwrap();
            let place = place.as_str().unwrap_or_default().to_owned();
            if place == last && place.ends_with(",true") {
                break;
            }
            last = place;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        element
    }

    /// Empties the field as a user selecting all and deleting would (an `input` event React
    /// sees: WebDriver's own clear only fires `change`, which React may miss), then types. The
    /// field is looked up afresh each time: React may have re-rendered it meanwhile.
    pub async fn type_into(&self, css: &str, text: &str) {
        let script = "const el = document.querySelector(arguments[0]);
             if (!el) return false;
             const kind = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement : HTMLInputElement;
             Object.getOwnPropertyDescriptor(kind.prototype, 'value').set.call(el, '');
             el.dispatchEvent(new Event('input', { bubbles: true }));
             return true;";
        self.wait_css(css).await;
        for _ in 0..50 {
            let emptied = self.client.execute(script, vec![css.into()]).await.unwrap_or_else(|e| panic!("{css}: {e}"));
            if emptied.as_bool() == Some(true) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.wait_css(css).await.send_keys(text).await.unwrap();
        self.wait_value(css, text).await;
    }

    /// A date typed as a person types it, `jj/mm/aaaa`, whatever the system's language.
    pub async fn type_date(&self, id: &str, iso: &str) {
        let parts: Vec<&str> = iso.split('-').collect();
        let typed = format!("{}/{}/{}", parts[2], parts[1], parts[0]);
        self.type_into(&format!("#{id}"), &typed).await;
    }

    /// Picks an option of a `<select>` by its value, as a click on the option would.
    pub async fn choose(&self, id: &str, value: &str) {
        self.set_value(id, value, "HTMLSelectElement", "change").await;
    }

    /// Sets a field's value through the element's own setter, so that React sees the change, and
    /// checks that it stayed: a section that renders again just after it opened (its lists
    /// arriving) can put back the value it had, as a person would see and choose again.
    async fn set_value(&self, id: &str, value: &str, element: &str, event: &str) {
        self.wait_css(&format!("#{id}")).await;
        let script = format!(
            "const el = document.getElementById(arguments[0]);
             Object.getOwnPropertyDescriptor({element}.prototype, 'value').set.call(el, arguments[1]);
             el.dispatchEvent(new Event('{event}', {{ bubbles: true }}));"
        );
        let stayed = "return document.getElementById(arguments[0])?.value === arguments[1];";
        for _ in 0..20 {
            self.client.execute(&script, vec![id.into(), value.into()]).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            if self.client.execute(stayed, vec![id.into(), value.into()]).await.unwrap() == true {
                return;
            }
        }
        self.fail(&format!("#{id} does not keep the value {value}")).await;
    }

    /// Opens a section of a signed-in space from its menu and waits until it is the one shown.
    pub async fn open_section(&self, id: &str) {
        self.click(&format!("#menu-{id}")).await;
        self.wait_section(id).await;
    }

    /// Waits until `id` is the section shown (its menu entry says so, its address names it).
    pub async fn wait_section(&self, id: &str) {
        self.wait_css(&format!("#menu-{id}[aria-current='page']")).await;
        let address = self.client.execute("return window.location.hash;", vec![]).await.unwrap();
        let address = address.as_str().unwrap_or_default();
        if !address.starts_with(&format!("#/{id}")) {
            self.fail(&format!("section {id} shown at the address {address}")).await;
        }
    }

    /// Opens every section of the space in turn and keeps a screenshot of each.
    pub async fn screenshot_each_section(&mut self, ids: &[&str]) {
        for id in ids {
            self.open_section(id).await;
            self.screenshot(&format!("section-{id}")).await;
        }
    }

    /// « Je me connecte »: email, password, « Connexion ».
    pub async fn log_in(&self, email: &str, password: &str) {
        self.type_into("#login-email", email).await;
        self.type_into("#login-password", password).await;
        self.click_button("Connexion").await;
    }

    /// Waits until the field shows `expected` (React sets the property, not the attribute).
    pub async fn wait_value(&self, css: &str, expected: &str) {
        let field = self.wait_css(css).await;
        for _ in 0..100 {
            if field.prop("value").await.unwrap().as_deref() == Some(expected) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        self.fail(&format!("{css} never showed « {expected} »")).await;
    }

    /// Chooses a file in a file field, as the file picker does: the field's `files` and its
    /// `change` event.
    pub async fn choose_file(&self, css: &str, name: &str, mime: &str, bytes: &[u8]) {
        use base64::Engine;
        let field = self.show(css).await;
        let script = "const bytes = Uint8Array.from(atob(arguments[1]), (c) => c.charCodeAt(0));
             const files = new DataTransfer();
             files.items.add(new File([bytes], arguments[2], { type: arguments[3] }));
             arguments[0].files = files.files;
             arguments[0].dispatchEvent(new Event('change', { bubbles: true }));";
        let args = vec![
            serde_json::to_value(&field).unwrap(),
            base64::engine::general_purpose::STANDARD.encode(bytes).into(),
            name.into(),
            mime.into(),
        ];
        self.client.execute(script, args).await.unwrap();
    }

    /// Presses keys one after the other on whatever has the focus, as a keyboard does (WebDriver
    /// key actions: the page's own handling follows, Tab moves the focus, Enter sends a form).
    pub async fn press(&self, keys: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let mut actions = KeyActions::new("clavier".into());
        for value in keys.chars() {
            actions = actions.then(KeyAction::Down { value }).then(KeyAction::Up { value });
        }
        self.client.perform_actions(actions).await.unwrap();
    }

    /// Presses Tab until the focus is on `css`; fails when the control cannot be reached so
    /// (hidden from the keyboard, or more than 80 stops away).
    pub async fn tab_to(&self, css: &str) {
        let focused = "const el = document.activeElement; return el !== null && el.matches(arguments[0]);";
        self.wait_css(css).await;
        for _ in 0..80 {
            if self.client.execute(focused, vec![css.into()]).await.unwrap() == serde_json::Value::Bool(true) {
                return;
            }
            self.press(&fantoccini::key::Key::Tab.to_string()).await;
        }
        self.fail(&format!("{css} is not reached with Tab")).await;
    }

    /// Replaces what the focused field holds (Ctrl+A, then the text typed key by key).
    pub async fn retype_here(&self, text: &str) {
        use fantoccini::actions::{InputSource, KeyAction, KeyActions};
        let control = fantoccini::key::Key::Control.into();
        let select_all = KeyActions::new("clavier".into())
            .then(KeyAction::Down { value: control })
            .then(KeyAction::Down { value: 'a' })
            .then(KeyAction::Up { value: 'a' })
            .then(KeyAction::Up { value: control });
        self.client.perform_actions(select_all).await.unwrap();
        self.press(text).await;
    }

    /// Reaches `css` with Tab and activates it with Enter, as a keyboard user does.
    pub async fn tab_and_enter(&self, css: &str) {
        self.tab_to(css).await;
        self.press(&fantoccini::key::Key::Enter.to_string()).await;
    }

    /// Draws with the mouse through `points` (offsets from the element's centre), button held.
    pub async fn draw(&self, css: &str, points: &[(i64, i64)]) {
        use fantoccini::actions::{InputSource, MouseActions, PointerAction, MOUSE_BUTTON_LEFT};
        let pad = self.show(css).await;
        let (x, y) = points[0];
        let mut mouse = MouseActions::new("pen".into())
            .then(PointerAction::MoveToElement { element: pad.clone(), duration: None, x, y })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT });
        for &(x, y) in &points[1..] {
            mouse = mouse.then(PointerAction::MoveToElement {
                element: pad.clone(),
                duration: Some(Duration::from_millis(20)),
                x,
                y,
            });
        }
        mouse = mouse.then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(mouse).await.unwrap();
    }

    /// Waits until the focus is on the first field marked wrong (after a refused send).
    pub async fn wait_focus_on_first_error(&self) {
        let script = "const first = document.querySelector('[aria-invalid=\"true\"]'); \
                      return first !== null && document.activeElement === first;";
        let deadline = std::time::Instant::now() + WAIT;
        while self.client.execute(script, vec![]).await.unwrap() != serde_json::Value::Bool(true) {
            if std::time::Instant::now() > deadline {
                self.fail("the focus is not on the first field to correct").await;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn text_of(&self, css: &str) -> String {
        self.wait_css(css).await.text().await.unwrap()
    }

    /// Keeps a picture of the screen, after checking it as assistive technologies read it.
    pub async fn screenshot(&mut self, name: &str) {
        // Lets a scroll or a re-render finish painting.
        tokio::time::sleep(Duration::from_millis(250)).await;
        self.shots += 1;
        let png = self.client.screenshot().await.unwrap();
        let file = format!("{:02}-{name}", self.shots);
        std::fs::write(self.screenshots.join(format!("{file}.png")), png).unwrap();
        self.check_accessibility(&file).await;
    }

    /// Runs axe-core (the engine behind most accessibility audits) on the screen as shown, against
    /// WCAG 2.1 A and AA, which the French RGAA 4 follows. Every finding is written beside the
    /// screenshots (`accessibilite.txt`); a serious or critical one fails the test.
    async fn check_accessibility(&self, screen: &str) {
        let loaded = self.client.execute("return typeof window.axe !== 'undefined';", vec![]).await.unwrap();
        if loaded != serde_json::Value::Bool(true) {
            let engine =
                std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/ui/node_modules/axe-core/axe.min.js"))
                    .expect("axe-core is installed (ui/package.json)");
            self.client.execute(&engine, vec![]).await.expect("axe-core loads in the window");
        }
        let audit = r#"
            const done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
              .then((result) => done({
                passed: result.passes.length,
                violations: result.violations.map((v) => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map((n) => n.target.join(" ") + " — " + n.failureSummary.replace(/\s+/g, " ")),
                })),
              }))
              .catch((error) => done({ passed: 0, violations: [{ id: "axe-failed", impact: "critical", help: String(error), nodes: [] }] }));
        "#;
        let result = self.client.execute_async(audit, vec![]).await.expect("axe-core runs");
        let found = result["violations"].as_array().cloned().unwrap_or_default();
        let mut report = format!("{screen}: {} rules passed, {} broken\n", result["passed"], found.len());
        for v in &found {
            let nodes: Vec<&str> = v["nodes"].as_array().into_iter().flatten().filter_map(|n| n.as_str()).collect();
            report += &format!(
                "  [{}] {} — {}\n    {}\n",
                v["impact"].as_str().unwrap_or("?"),
                v["id"],
                v["help"],
                nodes.join("\n    ")
            );
        }
        let path = self.screenshots.join("accessibilite.txt");
        let mut all = std::fs::read_to_string(&path).unwrap_or_default();
        all.push_str(&report);
        std::fs::write(&path, all).unwrap();
        let blocking = found.iter().any(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")));
        if blocking {
            self.fail(&format!("accessibility problems on {screen}:\n{report}")).await;
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

fn xpath_literal(text: &str) -> String {
    if text.contains('\'') {
        format!("concat('{}')", text.replace('\'', "', \"'\", '"))
    } else {
        format!("'{text}'")
    }
}

/// Where a test's screenshots go: `test-artifacts/e2e/<test>/`.
pub fn artifacts(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts").join("e2e").join(test);
    let _ = std::fs::remove_dir_all(&dir);
    dir
}
