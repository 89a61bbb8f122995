// Package prompt asks the user for a username and a password the way
// NUT's upscmd and upsrw do: the username on standard input with the
// login name as default, the password on the terminal without echo.
package prompt
