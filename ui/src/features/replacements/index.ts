// What the driver's « Mes demandes » shows of replacements; the agent's side is AgentReplacements.
export { MyInvoices } from "./MyInvoices";
export { ReplacementSection } from "./ReplacementSection";
export { ReturnedCard } from "./ReturnedCard";
