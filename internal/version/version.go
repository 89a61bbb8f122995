package version

// NUT is the version of NUT that gonut stands in for (Debian 12's), in
// NUT's own form: clients parse what upsd's VER says.
const NUT = "2.8.0"

// Gonut is NUT with gonut's mark, where NUT shows its build: the drivers'
// driver.version and banners, and upsdrvctl's banner.
const Gonut = NUT + "-gonut"

// Additions heads the part of a program's -h that NUT 2.8.0 lacks: what
// follows it, to the end, is gonut's own (options NUT 2.8.0 has not).
const Additions = "gonut's additions (not in NUT 2.8.0):"
