//! The TypeScript side of the commands, generated from their Rust signatures: every command of
//! the one list, its arguments as `invoke` sends them (Tauri renames them to camelCase) and its
//! result; and every event the window hears, with its payload. `ui/src/api.ts` calls through it, so an argument renamed or retyped in Rust fails
//! `tsc` instead of failing at run time. Written by `cargo test`, like the ts-rs bindings beside it.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;
use syn::{FnArg, GenericArgument, PathArguments, ReturnType, Type};

/// What the window passes but `invoke`'s arguments do not carry: Tauri injects them.
const INJECTED: [&str; 4] = ["State", "AppHandle", "Window", "WebviewWindow"];

/// A command whose body is the raw bytes (`tauri::ipc::Request`), with its ids as headers.
const RAW_BODY: &str = "Request";

pub fn typescript(
    commands: &[(&str, &str)],
    events: &[(&str, String)],
    sources: &Path,
    bindings: &Path,
) -> Result<String, String> {
    let mut imports = BTreeSet::new();
    let mut entries = String::new();
    for (module, name) in commands {
        let file = sources.join(format!("{module}.rs"));
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed = syn::parse_file(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        let function = parsed
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Fn(f) if f.sig.ident == name => Some(f),
                _ => None,
            })
            .ok_or_else(|| format!("{module}::{name} is listed but not found in {}", file.display()))?;
        let mut types = Types { imports: &mut imports, bindings, command: name };
        let args = types.arguments(&function.sig.inputs)?;
        let result = match &function.sig.output {
            ReturnType::Default => "void".to_owned(),
            ReturnType::Type(_, ty) => types.result(ty)?,
        };
        writeln!(entries, "  {name}: {{ args: {args}; result: {result} }};").unwrap();
    }
    let mut heard = String::new();
    for (name, payload) in events {
        if bindings.join(format!("{payload}.ts")).exists() {
            imports.insert(payload.clone());
        }
        writeln!(heard, "  \"{name}\": {payload};").unwrap();
    }
    let mut out = String::from(
        "// Generated from the commands' Rust signatures by `cargo test -p cqc-desktop` \
         (src-tauri/src/ipc_contract.rs). Do not edit.\n",
    );
    for name in &imports {
        match name.as_str() {
            "Channel" => out.push_str("import type { Channel } from \"@tauri-apps/api/core\";\n"),
            _ => writeln!(out, "import type {{ {name} }} from \"./{name}\";").unwrap(),
        }
    }
    out.push_str(
        "\n/** Each command the window may call: its arguments as `invoke` takes them (`void`: none; \
         `Uint8Array`: the raw body, ids as headers) and its result. */\nexport type Commands = {\n",
    );
    out.push_str(&entries);
    out.push_str("};\n\n/** Each event the window hears, with its payload. */\nexport type Events = {\n");
    out.push_str(&heard);
    out.push_str("};\n");
    Ok(out)
}

struct Types<'a> {
    imports: &'a mut BTreeSet<String>,
    bindings: &'a Path,
    command: &'a str,
}

impl Types<'_> {
    fn arguments(&mut self, inputs: &syn::punctuated::Punctuated<FnArg, syn::Token![,]>) -> Result<String, String> {
        let mut fields = Vec::new();
        for input in inputs {
            let FnArg::Typed(arg) = input else { return Err(format!("{}: a method is no command", self.command)) };
            let kind = last_segment(&arg.ty).map(|s| s.ident.to_string()).unwrap_or_default();
            if INJECTED.contains(&kind.as_str()) {
                continue;
            }
            if kind == RAW_BODY {
                return Ok("Uint8Array".to_owned());
            }
            let syn::Pat::Ident(name) = &*arg.pat else {
                return Err(format!("{}: an argument without a plain name", self.command));
            };
            fields.push(format!("{}: {}", camel_case(&name.ident.to_string()), self.ts(&arg.ty)?));
        }
        Ok(if fields.is_empty() { "void".to_owned() } else { format!("{{ {} }}", fields.join("; ")) })
    }

    /// `CommandResult<T>` and `Result<T, _>` answer `T` (the error is always an `ApiError`).
    fn result(&mut self, ty: &Type) -> Result<String, String> {
        match last_segment(ty) {
            Some(segment) if segment.ident == "CommandResult" || segment.ident == "Result" => {
                self.ts(first_generic(segment).ok_or_else(|| format!("{}: a result of what?", self.command))?)
            }
            _ => self.ts(ty),
        }
    }

    fn ts(&mut self, ty: &Type) -> Result<String, String> {
        match ty {
            Type::Reference(reference) => self.ts(&reference.elem),
            Type::Tuple(tuple) if tuple.elems.is_empty() => Ok("void".to_owned()),
            Type::Tuple(tuple) => {
                let items: Result<Vec<_>, _> = tuple.elems.iter().map(|t| self.ts(t)).collect();
                Ok(format!("[{}]", items?.join(", ")))
            }
            Type::Path(_) => {
                let segment = last_segment(ty).expect("a path has a last segment");
                let name = segment.ident.to_string();
                let inner = |types: &mut Self| match first_generic(segment) {
                    Some(inner) => types.ts(inner),
                    None => Err(format!("{}: {name} of what?", types.command)),
                };
                Ok(match name.as_str() {
                    "String" | "str" => "string".to_owned(),
                    "bool" => "boolean".to_owned(),
                    "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "f32" | "f64" => {
                        "number".to_owned()
                    }
                    "Option" => format!("{} | null", inner(self)?),
                    "Vec" => format!("Array<{}>", inner(self)?),
                    // Any JSON the screen keeps (a form's draft).
                    "Value" => "unknown".to_owned(),
                    "Channel" => {
                        let of = inner(self)?;
                        self.imports.insert(name);
                        format!("Channel<{of}>")
                    }
                    _ if self.bindings.join(format!("{name}.ts")).exists() => {
                        self.imports.insert(name.clone());
                        name
                    }
                    _ => return Err(format!("{}: {name} has no TypeScript binding (derive ts_rs::TS)", self.command)),
                })
            }
            _ => Err(format!("{}: a type the contract cannot say", self.command)),
        }
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) => path.path.segments.last(),
        _ => None,
    }
}

fn first_generic(segment: &syn::PathSegment) -> Option<&Type> {
    let PathArguments::AngleBracketed(generics) = &segment.arguments else { return None };
    generics.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    })
}

/// Tauri's default for command arguments: `card_ids` is sent as `cardIds`.
fn camel_case(snake: &str) -> String {
    let mut words = snake.split('_');
    let first = words.next().unwrap_or_default().to_owned();
    words.fold(first, |mut out, word| {
        let mut letters = word.chars();
        if let Some(initial) = letters.next() {
            out.extend(initial.to_uppercase());
            out.push_str(letters.as_str());
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_named_as_tauri_sends_them() {
        assert_eq!(camel_case("card_ids"), "cardIds");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("idempotency_key"), "idempotencyKey");
    }

    #[test]
    fn a_signature_becomes_its_arguments_and_result() {
        let sources = tempfile::tempdir().unwrap();
        let bindings = tempfile::tempdir().unwrap();
        std::fs::write(bindings.path().join("Profile.ts"), "").unwrap();
        std::fs::write(
            sources.path().join("m.rs"),
            "pub async fn login(core: State<'_, AppCore>, email: String, keep_me: Option<bool>) -> CommandResult<Profile> {}
             pub fn raw(app: AppHandle, request: tauri::ipc::Request<'_>) -> CommandResult<Vec<(f32, u32)>> {}
             pub fn unknown(x: Secret) {}",
        )
        .unwrap();
        let events = [("logged-in".to_owned(), "Profile".to_owned())];
        let events: Vec<(&str, String)> = events.iter().map(|(n, p)| (n.as_str(), p.clone())).collect();
        let made = typescript(&[("m", "login"), ("m", "raw")], &events, sources.path(), bindings.path()).unwrap();
        assert!(made.contains("import type { Profile } from \"./Profile\";"), "{made}");
        assert!(
            made.contains("login: { args: { email: string; keepMe: boolean | null }; result: Profile };"),
            "{made}"
        );
        assert!(made.contains("raw: { args: Uint8Array; result: Array<[number, number]> };"), "{made}");
        assert!(made.contains("  \"logged-in\": Profile;"), "{made}");
        let refused = typescript(&[("m", "unknown")], &[], sources.path(), bindings.path()).unwrap_err();
        assert!(refused.contains("Secret has no TypeScript binding"), "{refused}");
        assert!(typescript(&[("m", "gone")], &[], sources.path(), bindings.path()).is_err());
    }
}
