# String helpers of the check code, with builtins only (no nixpkgs lib).
let
  inherit (builtins) replaceStrings stringLength substring;
in
{
  startsWith = prefix: text: substring 0 (stringLength prefix) text == prefix;
  endsWith =
    suffix: text:
    let
      n = stringLength suffix;
      l = stringLength text;
    in
    l >= n && substring (l - n) n text == suffix;
  contains = needle: text: replaceStrings [ needle ] [ "" ] text != text;
}
