# Checks one evaluated configuration and summarises it. It throws (so the
# harness run fails, with the module system's own message) on undeclared
# options, conflicting definitions, type errors and failed assertions;
# otherwise it returns which option paths crossflake's code defined, split
# by where their declaration came from:
#   real         a real upstream tree in ../shared/upstream
#   transcribed  a harness transcription of a nixpkgs NixOS module
#   own          crossflake's own modules (crossflake.*)
#   stubbed      no declaration: taken by the recording stub, unchecked
{
  lib,
  upstream,
  root,
  transcriptions,
}:
let
  under = dir: file: lib.hasPrefix "${toString dir}/" (toString file);
  harnessDir = "${root}/test/nix/harness";
  ours = file: (under root file && !(under harnessDir file)) || lib.hasPrefix "crossflake:" file;

  # Forces a value to `n` levels, stopping at derivations, functions and
  # package sets.
  # `tolerant`: a leaf that throws is passed over (nix-darwin's
  # users.users.<name>.uid has no default and throws when read, although
  # nothing uses it); NixOS evaluations are forced strictly.
  forceDepth =
    tolerant: n: v:
    let
      force =
        n: v:
        if n == 0 || builtins.isFunction v || (builtins.isAttrs v && v ? harnessPackageSet) then
          true
        else if lib.isDerivation v then
          builtins.seq v.outPath true
        else if builtins.isAttrs v then
          builtins.all (x: leaf (n - 1) x) (builtins.attrValues v)
        else if builtins.isList v then
          builtins.all (leaf (n - 1)) v
        else
          builtins.seq v true;
      leaf = n: v: if tolerant then (builtins.tryEval (force n v)).success || true else force n v;
    in
    force n v;

  # The upstream module trees a probe leaves out (see `probePaths`).
  upstreamRoots = [
    "${upstream}/nixos-wsl/modules"
    "${upstream}/home-manager/nixos"
    "${upstream}/home-manager/nix-darwin"
  ];

  # The option paths crossflake's modules define, found without the
  # upstream declarations: the caller's modules alone, upstream trees
  # disabled, every definition caught by the recording stub. (Listing them
  # from the real evaluation would discharge every upstream definition's
  # conditions, which read real packages the stub set lacks.)
  probePaths =
    caller: pkgs:
    let
      probe = lib.evalModules {
        specialArgs = caller.specialArgs or { };
        modules =
          [
            (import ./stub.nix {
              inherit lib;
              strict = [ ];
            })
            {
              disabledModules = upstreamRoots;
              _module.args.pkgs = lib.mkDefault pkgs;
            }
          ]
          ++ map (m: {
            _file = "crossflake:probe";
            imports = [ m ];
          }) caller.modules;
      };
    in
    lib.unique (
      lib.concatMap (s: s.paths) (builtins.filter (s: ours s.file) (probe.config.harnessStubbed or [ ]))
    );

  # The option a path falls under (the path itself, or a prefix whose
  # option is a set or submodule), or null when nothing declares it.
  optionAt =
    options: path:
    if path == [ ] || !(builtins.isAttrs options) || !(options ? ${builtins.head path}) then
      null
    else
      let
        node = options.${builtins.head path};
      in
      if lib.isOption node then node else optionAt node (builtins.tail path);

  kindOf =
    opt:
    if builtins.any (under transcriptions) opt.declarations then
      "transcribed"
    else if builtins.any (under upstream) opt.declarations then
      "real"
    else
      "own";

  failedAssertions =
    config:
    map (a: a.message) (builtins.filter (a: !a.assertion) (config.assertions or [ ]));

  checkAssertions =
    config:
    let
      failed = failedAssertions config;
    in
    if failed == [ ] then
      true
    else
      throw "Failed assertions:\n${lib.concatMapStringsSep "\n" (m: "- ${m}") failed}";

  # The harness's own rule for every NixOS host name: nixpkgs'
  # network-interfaces.nix accepts `_` in networking.hostName's pattern but
  # its description says not to use it (systemd rejects it as a host name).
  checkHostName =
    config:
    let
      name = config.networking.hostName or "";
    in
    if lib.hasInfix "_" name then
      throw "The option `networking.hostName' is \"${name}\": nixpkgs' networking.hostName must be a DNS label, no underscores (nixos/modules/tasks/network-interfaces.nix)."
    else
      true;

  # NixOS-WSL declares no root file system: WSL mounts it (its
  # wsl-distro.nix turns the initrd off and defines no fileSystems). A root
  # file system in a WSL configuration becomes an fstab entry for a device
  # WSL does not have.
  checkWslRoot =
    config:
    if (config.wsl.enable or false) && config.fileSystems ? "/" then
      throw "The option `fileSystems.\"/\"' is set (device ${toString config.fileSystems."/".device}) in a NixOS-WSL configuration; NixOS-WSL (modules/wsl-distro.nix) defines no root file system, WSL mounts it."
    else
      true;

  # A script in the profile that calls `${pkgs.X}/bin/Y` where the stub
  # knows X's programs (stub-pkgs.nix knownBins): Y must be one of them.
  checkScripts =
    pkgs: packages:
    let
      known = lib.filterAttrs (_: p: (p.harnessBin or null) != null) (
        lib.genAttrs [ "wslu" ] (name: pkgs.${name} or { })
      );
      calls =
        text:
        lib.concatMap (
          name:
          map (m: {
            package = name;
            program = builtins.head m;
          }) (
            builtins.filter builtins.isList (
              builtins.split "${lib.escapeRegex known.${name}.outPath}/bin/([A-Za-z0-9._-]+)" text
            )
          )
        ) (builtins.attrNames known);
      bad = builtins.filter (c: !(builtins.elem c.program known.${c.package}.harnessBin)) (
        lib.concatMap (p: if p ? harnessText then calls p.harnessText else [ ]) packages
      );
      first = builtins.head bad;
    in
    if bad == [ ] then
      true
    else
      throw "The option `home.packages' has a script that runs ${first.package}/bin/${first.program}, which ${first.package} does not install (it has ${lib.concatStringsSep ", " known.${first.package}.harnessBin}).";

  # Facts a test asserts on (not checks): values crossflake decides.
  factsOf =
    class: config:
    if class == "nixos" then
      {
        hostName = config.networking.hostName or null;
        wslTarballConfigPath =
          if config.wsl.tarball.configPath or null == null then null else toString config.wsl.tarball.configPath;
        rootFileSystem = config.fileSystems."/".device or null;
      }
    else if class == "home" then
      { genericLinuxGpu = config.targets.genericLinux.gpu.enable or null; }
    else
      { };

  # The checks of a system whose option tree is not at hand.
  configOnly =
    config:
    assert checkAssertions config;
    assert checkHostName config;
    assert checkWslRoot config;
    {
      class = "nixos-config";
      real = [ ];
      transcribed = [ ];
      own = [ ];
      stubbed = [ ];
      facts = factsOf "nixos" config;
    };

  summarise =
    {
      evaluated,
      class,
      caller,
      pkgs,
      # Options whose value is forced only to this depth (home-manager's
      # per-user configurations inside a system: checked as their own entry).
      shallow ? [ "home-manager.users" ],
    }:
    let
      inherit (evaluated) config options;
      paths = map (lib.splitString ".") (probePaths caller pkgs);
      found = map (path: {
        inherit path;
        option = optionAt options path;
      }) paths;
      declared = lib.unique (map (f: f.option) (builtins.filter (f: f.option != null) found));
      names = kind: lib.unique (map (opt: lib.showOption opt.loc) (builtins.filter (opt: kindOf opt == kind) declared));
      # Each path the probe found is forced where it points (a sub-option
      # of a submodule, a key of a free-form set), not through the whole
      # option: forcing all of users.users would evaluate home-manager's
      # per-user configurations (checked as entries of their own).
      isShallow = f: builtins.elem (lib.showOption f.option.loc) shallow;
      forced = builtins.all (
        f:
        isShallow f || forceDepth (class != "nixos") 3 (lib.attrByPath f.path null config)
      ) (builtins.filter (f: f.option != null) found);
      # crossflake's own options: all of them, forced through their values.
      own = builtins.filter (opt: builtins.any ours opt.files) (lib.collect lib.isOption (options.crossflake or { }));
      stubbed = lib.unique (
        lib.concatMap (s: s.paths) (builtins.filter (s: ours s.file) (config.harnessStubbed or [ ]))
      );
    in
    assert checkAssertions config;
    assert class != "nixos" || checkHostName config;
    assert class != "nixos" || checkWslRoot config;
    assert class != "home" || checkScripts pkgs config.home.packages;
    assert forced;
    assert builtins.all (opt: forceDepth (class != "nixos") 4 opt.value) own;
    {
      inherit class stubbed;
      facts = factsOf class config;
      real = names "real";
      transcribed = names "transcribed";
      own = map (opt: lib.showOption opt.loc) own;
    };
in
{
  inherit summarise configOnly forceDepth;
}
