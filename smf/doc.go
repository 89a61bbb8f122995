// Package smf holds gonut's SMF manifests and method scripts (illumos,
// Solaris), installed by `make install SERVICE_FRAMEWORK=smf`, and the
// service_bundle DTD they are checked against. It has no Go code of its
// own: its tests validate the manifests.
//
// service_bundle.dtd.1 is illumos's, unmodified: illumos-gate
// usr/src/cmd/svc/dtd/service_bundle.dtd.1 (commit
// 13d8aaa19025bce854122482c986b488bbb781e8), installed on illumos as
// /usr/share/lib/xml/dtd/service_bundle.dtd.1. Copyright 2009 Sun
// Microsystems, under the CDDL 1.0, as its header says
// (https://opensource.org/license/cddl-1-0); it is here only as test data.
package smf
