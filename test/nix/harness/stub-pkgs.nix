# A stub package set for the harness: every name our Nix code and the
# upstream module trees touch is a fake derivation (callable, overridable),
# so modules evaluate without nixpkgs. Nothing here builds: a fake
# derivation's drvPath and outPath are strings that only name it.
#
#   names     dotted attribute chains below `pkgs` (["wslu" "python3Packages.pip"]),
#             found by test/nix/harness-pkgs.ts with our own parser and a scan
#             of the upstream trees
#   system    the platform the set pretends to be built for
#   lib       the real nixpkgs lib
#   path      what `pkgs.path` points at (nixpkgs-subset/: the three NixOS
#             files home-manager imports through it)
{
  lib,
  names,
  system,
  path,
}:
let
  isLinux = lib.hasSuffix "-linux" system;
  isDarwin = lib.hasSuffix "-darwin" system;
  cpu = builtins.head (lib.splitString "-" system);
  platform = {
    inherit system isLinux isDarwin;
    config = system;
    parsed.cpu.name = cpu;
    linuxArch = if cpu == "x86_64" then "x86_64" else "arm64";
    qemuArch = cpu;
    isAarch64 = cpu == "aarch64";
    isx86_64 = cpu == "x86_64";
    isx86 = cpu == "x86_64";
    isAarch32 = false;
    isArmv7 = false;
    isWindows = false;
    isStatic = false;
    isMusl = false;
    uname.system = if isLinux then "Linux" else "Darwin";
    extensions.sharedLibrary = if isDarwin then ".dylib" else ".so";
    canExecute = _: true;
    emulatorAvailable = _: true;
    darwinMinVersion = "11.0";
  };

  # The programs a few packages really install, where crossflake's code
  # calls one by path (`${pkgs.X}/bin/Y`); check.nix compares. wslu (the
  # wslutilities/wslu README's feature list, and nixpkgs'
  # pkgs/by-name/ws/wslu/package.nix installs its Makefile's targets):
  # wslusc, wslsys, wslfetch, wslvar, wslview, wslact, plus wslview's
  # aliases. Not wslpath: WSL itself provides /bin/wslpath (NixOS-WSL's
  # wsl-distro.nix links it to /init).
  knownBins = {
    wslu = [
      "wslact"
      "wslfetch"
      "wslsys"
      "wslusc"
      "wslvar"
      "wslview"
      "wview"
      "wslstart"
      "wstart"
    ];
  };

  hash = name: builtins.substring 0 32 (builtins.hashString "sha256" "${system}-${name}");

  # A fake derivation. Calling it (a builder such as writeShellScriptBin) or
  # overriding it gives a fake derivation again, named after the first
  # string argument when there is one.
  fake =
    name:
    let
      self = {
        type = "derivation";
        inherit name system;
        pname = name;
        version = "0";
        outPath = "${builtins.storeDir}/${hash name}-${name}";
        drvPath = "${builtins.storeDir}/${hash "drv-${name}"}-${name}.drv";
        outputs = [ "out" ];
        outputName = "out";
        out = self;
        bin = self;
        dev = self;
        man = self;
        lib = self;
        meta = {
          mainProgram = name;
          platforms = lib.platforms.all;
          description = "harness stub of ${name}";
        };
        passthru = { };
        harnessBin = knownBins.${name} or null;
        # Read by home-manager's neovim module from its wrapper.
        luaRcContent = "";
        override = _: self;
        overrideAttrs = _: self;
        overrideDerivation = _: self;
        __functor = _: arg: if builtins.isString arg then fake arg else self;
      };
    in
    self;

  # pkgs.formats.<kind> { }: the shape home-manager's and nix-darwin's
  # declarations use (a type, a generator and lib.types).
  format = kind: _args: {
    type = lib.types.anything;
    generate = name: _value: fake name;
    lib.types = {
      atom = lib.types.anything;
    };
  };

  formats = lib.genAttrs [
    "ini"
    "iniWithGlobalSection"
    "javaProperties"
    "json"
    "keyValue"
    "toml"
    "xml"
    "yaml"
    "yaml_1_1"
    "yaml_1_2"
    "lua"
    "elixirConf"
    "gitIni"
    "pythonVars"
    "hocon"
    "nixConf"
    "php"
    "plist"
    "libconfig"
    "cdn"
    "systemd"
  ] format;

  # Builds the nested set for one dotted chain (["a" "b"] -> { a = fake // { b = fake; }; }).
  chain =
    parts:
    let
      go =
        prefix: rest:
        if rest == [ ] then
          { }
        else
          let
            head = builtins.head rest;
            full = prefix ++ [ head ];
          in
          {
            ${head} = fake (lib.concatStringsSep "." full) // go full (builtins.tail rest);
          };
    in
    go [ ] parts;

  fromNames = builtins.foldl' (acc: n: lib.recursiveUpdate acc (chain (lib.splitString "." n))) { } names;

  stdenv = fake "stdenv" // {
    inherit isLinux isDarwin;
    hostPlatform = platform;
    buildPlatform = platform;
    targetPlatform = platform;
    system = system;
    shell = "/bin/sh";
    mkDerivation = args: fake (args.name or args.pname or "mkDerivation");
    cc = fake "cc" // {
      cc = fake "cc-unwrapped";
    };
  };
  self = fromNames // own;
  own = {
  inherit
    lib
    formats
    stdenv
    path
    system
    ;
  stdenvNoCC = stdenv;
  hostPlatform = platform;
  buildPlatform = platform;
  targetPlatform = platform;
  config = { };
  overlays = [ ];
  buildPackages = fromNames // {
    inherit stdenv;
  };
  pkgsBuildBuild = fromNames;
  # Like nixpkgs' callPackage: the function gets its arguments from this
  # set (nix-darwin's pkgs/nix-tools returns a set of tools this way).
  callPackage =
    fn: args:
    let
      f = if builtins.isFunction fn then fn else import fn;
      given = self // args;
      missing = builtins.filter (name: !(given ? ${name})) (
        builtins.attrNames (lib.filterAttrs (_: optional: !optional) (builtins.functionArgs f))
      );
    in
    # A package file that is not in ../shared/upstream, or that needs an
    # argument the stub lacks, is a fake derivation.
    if !builtins.isFunction fn && !builtins.pathExists fn || missing != [ ] then
      fake "callPackage"
    else
      f (builtins.intersectAttrs (builtins.functionArgs f) given);
  # The harness never builds: every builder gives a fake derivation.
  writeShellApplication = args: fake args.name;
  replaceVarsWith = args: fake (args.name or args.pname or "replaced");
  replaceVars = _src: _vars: fake "replaced";
  substituteAll = args: fake (args.name or "substituted");
  # The text is kept so check.nix can look at the programs it calls.
  writeShellScriptBin = name: text: fake name // { harnessText = text; };
  writeShellScript = name: _text: fake name;
  writeText = name: _text: fake name;
  writeTextFile = args: fake args.name;
  writeTextDir = name: _text: fake name;
  writeScript = name: _text: fake name;
  runCommand = name: _env: _cmd: fake name;
  runCommandLocal = name: _env: _cmd: fake name;
  symlinkJoin = args: fake args.name;
  buildEnv = args: fake args.name;
  linkFarm = name: _entries: fake name;
  dockerTools = fake "dockerTools" // {
    buildLayeredImage = args: fake "${args.name}.tar.gz";
    streamLayeredImage = args: fake args.name;
  };
  # Recording builders for crossflake's own package (nix/package.nix): the
  # result keeps its arguments (harnessBuildArgs, harnessNpmLockArgs), so
  # the harness checks what Nix would build from. Their signatures are
  # nixpkgs' (see the comment at the top of nix/package.nix).
  buildNpmPackage =
    args:
    fake "${args.pname}-${args.version}"
    // {
      inherit (args) pname version;
      meta = args.meta or { };
      harnessBuildArgs = args;
    };
  importNpmLock = {
    __functor =
      _:
      {
        npmRoot ? null,
        package ? lib.importJSON (npmRoot + "/package.json"),
        packageLock ? lib.importJSON (npmRoot + "/package-lock.json"),
        pname ? package.name or "unknown",
        version ? package.version or "0.0.0",
      }@args:
      fake "${pname}-${version}-sources"
      // {
        harnessNpmLockArgs = args // {
          inherit package packageLock;
        };
      };
    npmConfigHook = fake "npm-config-hook";
  };
  nodejs_22 = fake "nodejs-22" // {
    version = "22";
  };
  # The harness's own name for a fake derivation, for transcriptions.
  harnessFake = fake;
  # Marks the set, so check.nix does not force a whole package set found
  # in an option (virtualisation.host.pkgs).
  harnessPackageSet = true;
}
;
in
self
