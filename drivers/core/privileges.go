package core

import (
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"syscall"
)

// DefaultUser is who drivers run as when started as root, as Debian's NUT.
const DefaultUser = "nut"

// dropPrivileges is what a driver started as root does once its device is
// open: the socket goes to the driver's group (upsd's), the process
// chroots if asked (-r) and becomes the unprivileged user (-u, ups.conf
// "user", or nut). Started as another user, it changes nothing.
func dropPrivileges(args Args, name, group, sockPath, pidFile string, log *slog.Logger) error {
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
	if sockPath != "" {
		if err := os.Chown(sockPath, uid, gid); err != nil {
			return fmt.Errorf("socket %s: %w", sockPath, err)
		}
	}
	if pidFile != "" {
		os.Chown(pidFile, uid, gid)
	}
	if args.Chroot != "" {
		if err := syscall.Chroot(args.Chroot); err != nil {
			return fmt.Errorf("chroot %s: %w", args.Chroot, err)
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
