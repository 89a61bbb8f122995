package procstat

import "os/exec"

// Group is the processes a benchmark started, to be killed at its end.
type Group []*exec.Cmd

// Kill kills every process of the group and waits for it.
func (g Group) Kill() {
	for _, c := range g {
		c.Process.Kill()
		c.Wait()
	}
}
