package process

import (
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// DefaultUser is who NUT's daemons run as when started as root, as
// Debian's NUT.
const DefaultUser = "nut"

// Identity says whom a daemon started as root becomes.
type Identity struct {
	User   string   // "" means DefaultUser
	Group  string   // "" means the user's own group
	Chroot string   // "" means none
	Chown  []string // files handed over first: sockets, PID files
}

// BecomeUser is what a daemon started as root does once it holds what
// needs root (a device, a low port): the files named go to the new user
// and group, the process chroots if asked and becomes the unprivileged
// user. Started as another user, it changes nothing.
func BecomeUser(id Identity, log *slog.Logger) error {
	name, group := id.User, id.Group
	if os.Geteuid() != 0 {
		return nil
	}
	if name == "" {
		name = DefaultUser
	}
	u, err := user.Lookup(name)
	if err != nil {
		return fmt.Errorf("cannot run as user %q: %w (use -u to name another)", name, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if group != "" {
		g, err := user.LookupGroup(group)
		if err != nil {
			return fmt.Errorf("group %q: %w", group, err)
		}
		gid, _ = strconv.Atoi(g.Gid)
	}
	for _, f := range id.Chown {
		if err := os.Chown(f, uid, gid); err != nil {
			return fmt.Errorf("handing %s to %s: %w", f, name, err)
		}
	}
	if id.Chroot != "" {
		if err := syscall.Chroot(id.Chroot); err != nil {
			return fmt.Errorf("chroot %s: %w", id.Chroot, err)
		}
		if err := os.Chdir("/"); err != nil {
			return err
		}
	}
	if uid == 0 {
		return nil
	}
	if err := syscall.Setgroups([]int{gid}); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(gid); err != nil {
		return fmt.Errorf("setgid %d: %w", gid, err)
	}
	if err := syscall.Setuid(uid); err != nil {
		return fmt.Errorf("setuid %d: %w", uid, err)
	}
	log.Debug("running as an unprivileged user", "user", name, "uid", uid, "gid", gid)
	return nil
}
