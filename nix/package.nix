# crossflake's own CLI, built by Nix from this repository: what
# `nix run github:OWNER/crossflake -- doctor` runs (flake.nix: packages and
# apps). The same bundle as the npm package (`npm run build:release`), run
# by Node 22.
#
# Dependencies come from package-lock.json through nixpkgs' importNpmLock:
# every lock entry is fetched by its `integrity` hash, so no hash is kept by
# hand. Read from nixpkgs (NixOS/nixpkgs, 3022f7ac):
#   pkgs/build-support/node/import-npm-lock/default.nix, lines 66-73: the
#     function takes { npmRoot, package ? <npmRoot>/package.json,
#     packageLock ? <npmRoot>/package-lock.json, pname, version }; lines
#     44-48: an http(s) `resolved` is fetched with `hash = integrity`; an
#     entry without `resolved` is not fetched at all (line 29); its last
#     lines export `npmConfigHook` and make the set callable (`__functor`).
# and (04decf79) pkgs/build-support/node/build-npm-package/default.nix,
#   lines 16-76: buildNpmPackage's arguments (src, nodejs, npmDeps,
#   npmConfigHook, npmBuildScript, npmPackFlags, meta); its install hook
#   packs with `npm pack --dry-run` and wraps each package.json `bin` entry
#   as $out/bin/<name>.
{
  lib,
  buildNpmPackage,
  importNpmLock,
  nodejs_22,
  # Base URL of the npm registry, for lock entries that have no `resolved`
  # URL (npm leaves it out under `omit-lockfile-registry-resolved`). null:
  # such entries cannot be fetched, and the build stops at once saying so.
  npmRegistry ? null,
}:
let
  root = ../.;
  # One source of the version: package.json. `crossflake --version` prints
  # the same field (the bundle reads package.json at build time).
  manifest = lib.importJSON (root + "/package.json");
  lock = lib.importJSON (root + "/package-lock.json");

  # "node_modules/a/node_modules/@s/b" -> "@s/b"
  nameOf = key: lib.last (lib.splitString "node_modules/" key);
  tarballUrl =
    key: entry:
    let
      name = entry.name or (nameOf key);
      base = lib.last (lib.splitString "/" name);
    in
    "${lib.removeSuffix "/" npmRegistry}/${name}/-/${base}-${entry.version}.tgz";
  # Entries npm links or bundles (no version of their own, or `inBundle`)
  # and the root ("") need no tarball.
  needsUrl =
    key: entry:
    key != ""
    && !(entry ? resolved)
    && entry ? version
    && !(entry.link or false)
    && !(entry.inBundle or false);
  withUrls =
    if npmRegistry == null then
      lock
    else
      lock
      // {
        packages = lib.mapAttrs (
          key: entry:
          if needsUrl key entry then entry // { resolved = tarballUrl key entry; } else entry
        ) lock.packages;
      };

  # Entries that still have no tarball URL: npm's offline install in the
  # build could not find them. The build says so at once (evaluation, and so
  # `nix flake check`, is not affected).
  unresolved = builtins.attrNames (lib.filterAttrs needsUrl withUrls.packages);
  unresolvedStop = lib.optionalString (unresolved != [ ]) ''
    echo "crossflake: package-lock.json has ${toString (builtins.length unresolved)} entries without a resolved URL (first: ${builtins.head unresolved}); call nix/package.nix with npmRegistry = \"<npm registry URL>\", or write the lock without omit-lockfile-registry-resolved" >&2
    exit 1
  '';

  # Only what the build reads, not node_modules/, dist/ or the tests. (A
  # filter rather than lib.fileset, which needs Nix 2.14's readFileType.)
  sourceEntries = [
    "package.json"
    "package-lock.json"
    "tsconfig.json"
    "README.md"
    "LICENSE"
    "bin"
    "src"
    "data"
    "templates"
    "scripts"
  ];
  topLevel =
    path: builtins.head (lib.splitString "/" (lib.removePrefix "${toString root}/" (toString path)));
  src = builtins.path {
    path = root;
    name = "crossflake-source";
    filter = path: _type: builtins.elem (topLevel path) sourceEntries;
  };
in
buildNpmPackage {
  pname = manifest.name;
  inherit (manifest) version;
  inherit src;
  nodejs = nodejs_22;
  npmDeps = importNpmLock {
    npmRoot = root;
    packageLock = withUrls;
  };
  npmConfigHook = importNpmLock.npmConfigHook;
  preConfigure = unresolvedStop;
  # The published build: no source maps; THIRD-PARTY-NOTICES written.
  npmBuildScript = "build:release";
  # The install hook's `npm pack --dry-run` only lists the files; without
  # this it would run prepack and build a second time.
  npmPackFlags = [ "--ignore-scripts" ];
  meta = {
    inherit (manifest) description;
    license = lib.licenses.mit;
    mainProgram = "crossflake";
  };
}
