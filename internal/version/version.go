package version

// NUT is the version of NUT that gonut stands in for (Debian 12's), in
// NUT's own form: clients parse what upsd's VER says.
const NUT = "2.8.0"

// Gonut is NUT with gonut's mark, where NUT shows its build: the drivers'
// driver.version and banners, and upsdrvctl's banner.
const Gonut = NUT + "-gonut"
