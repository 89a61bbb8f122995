// Package cdp drives a headless Chromium for tests through the DevTools
// protocol (chromedevtools.github.io/devtools-protocol), over a WebSocket
// client of its own (RFC 6455, text frames only): start the browser, open
// a page, evaluate JavaScript in it, take a screenshot.
package cdp
