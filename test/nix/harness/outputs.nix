# Every output of crossflake's flake.nix and of the configurations each
# template's flake.nix makes, as harness entries: name -> a function that
# evaluates and checks it (see check.nix) and returns its summary. The
# runner lists the names first, then evaluates each entry in its own
# process, so one failing output does not hide the others.
{
  lib,
  check,
  inputs,
  root,
}:
let
  flake = import "${toString root}/flake.nix";
  self = flake.outputs (inputs // { inherit self; }) // {
    outPath = toString root;
  };

  inherit (inputs.nixpkgs.lib) nixosSystem;
  inherit (inputs.home-manager.lib) homeManagerConfiguration;
  inherit (inputs.nix-darwin.lib) darwinSystem;

  # The minimal host of nix/checks.nix: what a module needs to be a system.
  minimalNixos = system: {
    nixpkgs.hostPlatform = system;
    system.stateVersion = "26.05";
    fileSystems."/" = {
      device = "/dev/disk/by-label/nixos";
      fsType = "ext4";
    };
    boot.loader.grub.device = "nodev";
  };

  nixosEntry =
    evaluated:
    check.summarise {
      inherit evaluated;
      class = "nixos";
      caller = evaluated._module.args.harnessCaller;
      pkgs = evaluated._module.args.pkgs;
    };

  homeConfigEntry =
    evaluated:
    check.summarise {
      inherit evaluated;
      class = "home";
      caller = evaluated.harnessCaller;
      inherit (evaluated.harnessCaller) pkgs;
    };

  nixosModule =
    module:
    nixosEntry (nixosSystem {
      modules = [
        module
        (minimalNixos "x86_64-linux")
      ];
    });

  # NixOS-WSL brings its own boot and file systems.
  wslModule =
    module:
    nixosEntry (nixosSystem {
      modules = [
        module
        {
          nixpkgs.hostPlatform = "x86_64-linux";
          system.stateVersion = "26.05";
        }
      ];
    });

  homeEntry =
    system: modules:
    let
      user = "crossflake-check";
      isLinux = lib.hasSuffix "-linux" system;
    in
    homeConfigEntry (homeManagerConfiguration {
      pkgs = inputs.nixpkgs.legacyPackages.${system};
      modules = modules ++ [
        {
          home.username = user;
          home.homeDirectory = if isLinux then "/home/${user}" else "/Users/${user}";
          home.stateVersion = "26.05";
        }
      ];
    });

  darwinEntry =
    evaluated:
    check.summarise {
      inherit evaluated;
      class = "darwin";
      caller = evaluated.harnessCaller;
      inherit (evaluated) pkgs;
    };

  # home-manager inside a system (its NixOS or nix-darwin module): each
  # user's modules, evaluated as a home configuration of their own with
  # the system's pkgs and home-manager.extraSpecialArgs, and the user name
  # and home directory the module would give it.
  systemHomes =
    prefix: system:
    let
      defs = system.options.home-manager.users.definitions or [ ];
      users = lib.zipAttrsWith (_: modules: modules) defs;
      isDarwin = system.pkgs.stdenv.hostPlatform.isDarwin;
    in
    lib.mapAttrs' (
      user: modules:
      lib.nameValuePair "${prefix}.home-manager.users.${user}" (
        _:
        homeConfigEntry (homeManagerConfiguration {
          inherit (system) pkgs;
          extraSpecialArgs = system.config.home-manager.extraSpecialArgs or { };
          modules = modules ++ [
            {
              home.username = user;
              home.homeDirectory = if isDarwin then "/Users/${user}" else "/home/${user}";
            }
          ];
        })
      )
    ) users;

  vmEntry =
    cfg:
    nixosEntry cfg
    // {
      runnerSystem = cfg.config.system.build.vm.system;
      guestSystem = cfg.config.nixpkgs.hostPlatform;
      hostName = cfg.config.networking.hostName;
    };

  # An image package: the variant's own configuration is checked like a
  # system (passthru.harnessOptions), plus the predicted file and, for disk
  # images, that something installs a boot loader.
  imageEntry =
    image: drv:
    let
      variantConfig = drv.passthru.config or null;
      boot = if variantConfig == null then null else variantConfig.system.build.image.harnessBoot or null;
      grub = variantConfig.boot.loader.grub.enable;
      # Legacy BIOS boot on an ARM system: aarch64 machines have no BIOS
      # (disk-image.nix's non-EFI layout installs i386-pc GRUB).
      checkBios =
        if boot == "legacy" && lib.hasPrefix "aarch64-" image.system then
          throw "${image.attr}: a legacy BIOS image (`image.efiSupport' false, nixos/modules/virtualisation/disk-image.nix) for ${image.system}, which has no BIOS."
        else
          true;
      checkBoot =
        if
          builtins.elem boot [
            "legacy"
            "grub-efi"
          ]
          && !grub
        then
          throw "${image.attr}: the image boots with GRUB (${boot}), but the option `boot.loader.grub.enable' is false: nothing installs a boot loader (nixos/modules/virtualisation/disk-image.nix enables GRUB at mkOptionDefault, nixos/modules/system/boot/loader/grub/grub.nix)."
        else
          true;
      summary =
        if variantConfig == null then
          {
            class = "package";
            stubbed = [ ];
            real = [ ];
            transcribed = [ ];
            own = [ ];
          }
        else if drv.passthru ? harnessOptions then
          check.summarise {
            class = "nixos";
            evaluated = {
              config = variantConfig;
              options = drv.passthru.harnessOptions;
            };
            caller = drv.passthru.harnessModuleArgs.harnessCaller;
            pkgs = drv.passthru.harnessModuleArgs.pkgs;
          }
        else
          # mkImages' own images (wsl) carry their configuration only: the
          # checks that need no option tree.
          check.configOnly variantConfig;
    in
    assert checkBoot;
    assert checkBios;
    summary
    // {
      inherit (image) format system file;
      built = drv.name;
      framework = drv.passthru.filePath or null;
    };

  # crossflake's own CLI (nix/package.nix), built by the stub pkgs'
  # recording buildNpmPackage and importNpmLock: the arguments Nix would
  # build with, and the app that runs it. test/nix/package.test.ts checks them.
  cliEntry =
    system: drv:
    let
      args = drv.harnessBuildArgs;
      lockArgs = args.npmDeps.harnessNpmLockArgs;
      lockEntries = lib.filterAttrs (key: _: key != "") lockArgs.packageLock.packages;
    in
    {
      class = "package";
      real = [ ];
      transcribed = [ ];
      own = [ ];
      stubbed = [ ];
      facts = {
        inherit (args) pname version npmBuildScript npmPackFlags;
        src = toString args.src;
        nodejs = args.nodejs.name;
        npmConfigHook = args.npmConfigHook.name;
        npmRoot = toString lockArgs.npmRoot;
        npmDepsVersion = lockArgs.package.version;
        lockEntries = builtins.length (builtins.attrNames lockEntries);
        lockEntriesWithUrl = builtins.length (
          builtins.filter (e: e ? resolved) (builtins.attrValues lockEntries)
        );
        stopsForUnresolvedLock = (args.preConfigure or "") != "";
        inherit (args.meta) mainProgram;
        license = args.meta.license.spdxId;
        # npmInstallHook makes $out/bin/<name> for each package.json `bin` entry.
        bins = builtins.attrNames lockArgs.package.bin;
        out = drv.outPath;
        app = self.apps.${system}.crossflake.program;
        defaultApp = self.apps.${system}.default.program;
      };
    };

  cliEntries = builtins.foldl' (
    acc: system:
    acc
    // lib.genAttrs' [ "crossflake" "default" ] (
      name: lib.nameValuePair "packages.${system}.${name}" (_: cliEntry system self.packages.${system}.${name})
    )
  ) { } (builtins.attrNames self.apps);

  imagesOf =
    prefix: images: packages:
    builtins.listToAttrs (
      map (image: {
        name = "${prefix}${image.attr}";
        value = _: imageEntry image packages.${image.system}.${"${image.name}-${image.format}"};
      }) images
    );

  # lib.mkImages over every format it knows, on every system it offers.
  matrix = self.lib.mkImages {
    name = "harness-matrix";
    configuration = [
      self.nixosModules.vm
      {
        system.stateVersion = "26.05";
        networking.hostName = "harness-matrix";
      }
    ];
    formats = builtins.attrNames self.lib.imageFormats;
    systems = self.lib.systems.linux;
  };

  # Templates: each template's flake.nix, given crossflake itself as its
  # `shared`/`crossflake` input.
  templateOutputs =
    name:
    let
      dir = "${toString root}/templates/${name}";
      tflake = import "${dir}/flake.nix";
      tself = tflake.outputs (inputs // { self = tself; shared = self; crossflake = self; }) // { outPath = dir; };
    in
    tself;

  colleague =
    let
      team = templateOutputs "team";
      cflake = import "${toString root}/templates/team/templates/colleague/flake.nix";
    in
    cflake.outputs {
      self = { };
      inherit team;
      inherit (inputs) nixpkgs;
    };

  configsOf =
    prefix: outputs:
    let
      systems =
        kind: entry:
        lib.foldl' (
          acc: n:
          let
            cfg = outputs.${kind}.${n};
            name = "${prefix}${kind}.${n}";
          in
          acc // { ${name} = _: entry cfg; } // systemHomes name cfg
        ) { } (builtins.attrNames (outputs.${kind} or { }));
    in
    systems "nixosConfigurations" nixosEntry
    // systems "darwinConfigurations" darwinEntry
    // lib.mapAttrs' (
      n: cfg: lib.nameValuePair "${prefix}homeConfigurations.${n}" (_: homeConfigEntry cfg)
    ) (outputs.homeConfigurations or { });

  templateNames = builtins.attrNames self.templates;

  # Module exports by output name ("homeModules.base" -> module). Names
  # that export the same module (default = base, the homeManagerModules
  # aliases) share one evaluation.
  prefixed = prefix: set: lib.mapAttrs' (n: lib.nameValuePair "${prefix}.${n}") set;
  sharedEntries =
    set: mk:
    let
      names = builtins.attrNames set;
      firstOf = n: lib.findFirst (m: set.${m} == set.${n}) n names;
      summaries = builtins.mapAttrs mk set;
    in
    builtins.mapAttrs (n: _: _: summaries.${firstOf n}) set;

  isWsl = n: builtins.elem n [
    "nixosModules.wsl"
    "nixosModules.wsl-base"
  ];
  isDarwinHome = n: builtins.elem n [
    "homeModules.darwin"
    "homeManagerModules.darwin-home-base"
  ];

  entries =
    sharedEntries (prefixed "nixosModules" self.nixosModules) (
      n: m: if isWsl n then wslModule m else nixosModule m
    )
    // sharedEntries (prefixed "darwinModules" self.darwinModules) (
      _: m:
      darwinEntry (darwinSystem {
        modules = [
          m
          { crossflake.darwin.hostPlatform = "aarch64-darwin"; }
        ];
      })
    )
    // sharedEntries (prefixed "homeModules" self.homeModules // prefixed "homeManagerModules" self.homeManagerModules) (
      n: m: homeEntry (if isDarwinHome n then "aarch64-darwin" else "x86_64-linux") [ m ]
    )
    // lib.mapAttrs' (n: cfg: lib.nameValuePair "nixosConfigurations.${n}" (_: vmEntry cfg)) self.nixosConfigurations
    // cliEntries
    // imagesOf "" self.crossflake.images self.packages
    // imagesOf "lib.mkImages." matrix.images matrix.packages
    // builtins.foldl' (
      acc: name:
      let
        outputs = templateOutputs name;
        prefix = "templates.${name}.";
      in
      acc
      // configsOf prefix outputs
      // (if outputs ? crossflake then imagesOf prefix outputs.crossflake.images outputs.packages else { })
    ) { } templateNames
    // configsOf "templates.team.templates.colleague." colleague;
in
{
  names = builtins.attrNames entries;
  # The outputs that are plain data or stub derivations only (no module
  # evaluation): listed so the report shows every output. `checks` is not
  # listed: it copies the templates into the store, which a read-only
  # evaluation cannot do (test/nix/checks.test.ts covers it).
  data = {
    "crossflake.images" = map (i: i.attr) self.crossflake.images;
    devShells = lib.mapAttrs (_: shells: builtins.attrNames shells) self.devShells;
    formatter = builtins.attrNames self.formatter;
    apps = lib.mapAttrs (_: apps: builtins.attrNames apps) self.apps;
    templates = templateNames;
    lib = builtins.attrNames self.lib;
  };
  entry = name: entries.${name} null;
  # The entries in `parts` evaluations (the runner's fast path, one process
  # per part on the two cores; it falls back to one process per entry to name
  # the failing ones). Part `i` takes every `parts`-th name from `i`.
  part =
    i: parts:
    let
      names = builtins.attrNames entries;
      indices = builtins.filter (n: lib.mod n parts == i) (lib.range 0 (builtins.length names - 1));
    in
    builtins.listToAttrs (
      map (
        n:
        let
          name = builtins.elemAt names n;
        in
        lib.nameValuePair name (entries.${name} null)
      ) indices
    );
}
