// Command upssched runs timers and commands for upsmon's events.
package main
