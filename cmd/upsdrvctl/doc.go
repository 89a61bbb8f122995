// Command upsdrvctl starts, stops and shuts down the drivers of ups.conf.
package main
