/**
 * Every name a user can reach from `@torchlet/nn` has a doc comment: the exports of the package
 * and of every namespace under them (`torch`, `nn`, `nn.functional`, `nn.init`, `optim`, ...),
 * the namespaces themselves, and the public members of every exported class. An editor shows these comments on hover, and
 * `.d.ts` files carry them to users outside the workspace, so a missing one is a gap in the
 * library's documentation. The TypeScript compiler reads the sources as an editor would.
 */
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = join(packageDir, "..");

/** The program the package's own tsconfig describes, as `tsc` and editors build it. */
function loadProgram(): ts.Program {
  const configPath = join(packageDir, "tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!parsed) throw new Error(`cannot read ${configPath}`);
  return ts.createProgram([join(packageDir, "src", "index.ts")], parsed.options);
}

/**
 * The dotted names (from the package's entry) of the exports and public class members declared
 * in torchlet's own sources that have no doc comment. Names declared by TypeScript's libraries or
 * other packages (an `Error`'s `message`, say) are not ours to document.
 */
function undocumentedNames(): string[] {
  const program = loadProgram();
  const checker = program.getTypeChecker();
  const ours = (d: ts.Declaration) => !d.getSourceFile().isDeclarationFile && !d.getSourceFile().fileName.includes("/node_modules/");
  const documented = (s: ts.Symbol) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim() !== "";
  const isPrivate = (d: ts.Declaration) => (ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
  const seen = new Set<ts.Symbol>();
  const missing: string[] = [];

  const visitModule = (module: ts.Symbol, path: string) => {
    for (const exported of checker.getExportsOfModule(module)) visit(exported, path === "" ? exported.name : `${path}.${exported.name}`);
  };

  const visit = (exported: ts.Symbol, name: string) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (seen.has(symbol)) return;
    seen.add(symbol);
    const declarations = (symbol.declarations ?? []).filter(ours);
    if (declarations.length === 0) return;
    // a namespace (`import * as nn` and `export { nn }`): documented where it is exported, which
    // is what an editor shows on `torch.nn`; then its members, which are what users reach
    if (declarations.some((d) => ts.isSourceFile(d) || ts.isModuleDeclaration(d))) {
      if (!documented(exported)) missing.push(`${name} (namespace)`);
      return visitModule(symbol, name);
    }
    if (!documented(symbol) && !documented(exported)) missing.push(name);
    if (symbol.flags & ts.SymbolFlags.Class) {
      for (const member of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
        if (member.name.startsWith("_") || member.name.startsWith("#") || seen.has(member)) continue;
        const memberDeclarations = (member.declarations ?? []).filter(ours);
        if (memberDeclarations.length === 0 || memberDeclarations.some(isPrivate)) continue;
        seen.add(member);
        const where = relative(packagesDir, memberDeclarations[0]!.getSourceFile().fileName);
        if (!documented(member)) missing.push(`${name}.${member.name} (${where})`);
      }
    }
  };

  const entry = program.getSourceFile(join(packageDir, "src", "index.ts"))!;
  visitModule(checker.getSymbolAtLocation(entry)!, "");
  expect(seen.size, "the walk reaches the package's names").toBeGreaterThan(300);
  return missing;
}

describe("the documentation of @torchlet/nn", () => {
  it("has a doc comment on every exported name and every public member of an exported class", () => {
    expect(undocumentedNames()).toEqual([]);
  }, 60_000);
});
