// Type-aware lint of the UI: the TypeScript rules and React's rules of hooks (a hook called
// conditionally, or an effect missing a dependency, is a bug the type checker does not see).
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist", "src/bindings"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
      // A file that grows past this holds more than one thing: split it by what it does.
      "max-lines": ["error", { max: 450, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The words files hold a whole feature's sentences in two languages: long by nature.
    files: ["src/i18n*.{ts,tsx}"],
    rules: { "max-lines": "off" },
  },
  {
    // A feature owns its screens, words and tests; it never reaches into another feature (the
    // spaces compose them).
    files: ["src/features/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(\.\./[^./][^/]*/|(\.\./)+features/)",
              message: "A feature does not import another feature's internals.",
            },
          ],
        },
      ],
    },
  },
);
