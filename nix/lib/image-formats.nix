# The image formats mkImages knows, as plain data (no nixpkgs needed), so the
# CLI can plan a release with one `nix eval --json` before anything is built.
#
#   variant    the nixpkgs `system.build.images.<variant>` it builds, or null
#   variantOn  (optional) a different variant on some systems
#   kind       "derivation": the build output holds the artifact;
#              "root-program": the output is a program that must run as root
#              and writes the artifact to the path given as its argument
#   extension  extension of the released artifact
#   file       path of the artifact (or, for a root-program, of the program)
#              inside the build output, from the image's base name; null when
#              the output itself is the artifact
#   systems    the Linux systems the format can be built for
let
  linux = [
    "x86_64-linux"
    "aarch64-linux"
  ];

  # nixpkgs writes a disk image to $out/<image.fileName>; mkImages forces
  # image.baseName to <name>-<format>, so the name is known before evaluation.
  inOutput = dir: ext: base: "${dir}${base}.${ext}";
in
{
  wsl = {
    variant = null;
    kind = "root-program";
    extension = "wsl";
    # NixOS-WSL's tarballBuilder is a writeShellApplication of this name.
    file = _base: "bin/nixos-wsl-tarball-builder";
    systems = linux;
    description = "NixOS-WSL tarball (import with `wsl --install --from-file`)";
  };
  qcow2 = {
    variant = "qemu";
    kind = "derivation";
    extension = "qcow2";
    file = inOutput "" "qcow2";
    systems = linux;
    # The qemu variant boots with a legacy BIOS (disk-image.nix with
    # efiSupport false installs i386-pc GRUB); aarch64 machines have no
    # BIOS, so there the same file comes from the UEFI variant.
    variantOn.aarch64-linux = "qemu-efi";
    description = "QEMU disk image (legacy BIOS boot on x86_64, UEFI on aarch64)";
  };
  qcow2-efi = {
    variant = "qemu-efi";
    kind = "derivation";
    extension = "qcow2";
    file = inOutput "" "qcow2";
    systems = linux;
    description = "QEMU disk image, UEFI boot";
  };
  raw-efi = {
    variant = "raw-efi";
    kind = "derivation";
    # disk-image.nix names a raw image <base>.img (nixpkgs PR #409571).
    extension = "img";
    file = inOutput "" "img";
    systems = linux;
    description = "raw disk image, UEFI boot (dd to a disk or USB stick)";
  };
  iso = {
    variant = "iso-installer";
    kind = "derivation";
    extension = "iso";
    file = inOutput "iso/" "iso";
    systems = linux;
    description = "bootable installer ISO with the configuration's toolset";
  };
  virtualbox = {
    variant = "virtualbox";
    kind = "derivation";
    extension = "ova";
    file = inOutput "" "ova";
    # VirtualBox (needed to write the OVA) is packaged for x86_64 only.
    systems = [ "x86_64-linux" ];
    description = "VirtualBox appliance";
  };
  vmware = {
    variant = "vmware";
    kind = "derivation";
    extension = "vmdk";
    file = inOutput "" "vmdk";
    systems = linux;
    description = "VMware disk image";
  };
  sd-card = {
    variant = "sd-card";
    kind = "derivation";
    extension = "img.zst";
    file = inOutput "sd-image/" "img.zst";
    # nixpkgs ships sd-image modules for ARM boards only.
    systems = [ "aarch64-linux" ];
    description = "zstd-compressed SD card image for aarch64 boards";
  };
  docker = {
    variant = null;
    kind = "derivation";
    extension = "tar.gz";
    # dockerTools.buildLayeredImage's output is the gzipped tarball itself.
    file = _base: null;
    systems = linux;
    description = "layered OCI/Docker image of the configuration's toolset";
  };
}
