package subdriver_test

import (
	"testing"

	"gonut/drivers/hid/subdriver"
)

// Every path of every subdriver's rows is one its usage names read.
func TestPathsParse(t *testing.T) {
	for _, sub := range subdriver.All {
		names := sub.Names()
		for _, r := range sub.Info {
			if _, err := names.Parse(r.Path); err != nil {
				t.Errorf("%s: %s: %v", sub.Name, r.Var, err)
			}
		}
	}
}
