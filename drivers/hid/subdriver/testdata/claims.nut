# The subdriver Debian's NUT 2.8.0 usbhid-ups chooses for each device (go test ./subdriver
# -update-nut rewrites this file), and the devices its subdrivers say they do not support.
0463:0001 "" "" {Explore:false ProductID:false}: MGE HID 1.46
0463:ffff "" "" {Explore:false ProductID:false}: MGE HID 1.46
047c:ffff "" "" {Explore:false ProductID:false}: MGE HID 1.46
0592:0004 "" "" {Explore:false ProductID:false}: MGE HID 1.46
03f0:1fe5 "" "" {Explore:false ProductID:false}: MGE HID 1.46
03f0:1fe6 "" "" {Explore:false ProductID:false}: MGE HID 1.46
03f0:1fe7 "" "" {Explore:false ProductID:false}: MGE HID 1.46
03f0:1fe8 "" "" {Explore:false ProductID:false}: MGE HID 1.46
2b2d:ffff "" "" {Explore:false ProductID:false}: MGE HID 1.46
06da:ffff "" "" {Explore:false ProductID:false}: Phoenixtec/Liebert HID 0.41
04b3:0001 "" "" {Explore:false ProductID:false}: MGE HID 1.46
051d:0000 "" "" {Explore:false ProductID:false}: APC HID 0.98
051d:0002 "" "" {Explore:false ProductID:false}: APC HID 0.98
051d:0003 "" "" {Explore:false ProductID:false}: APC HID 0.98
2341:0036 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
2341:8036 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
2a03:0036 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
2a03:8036 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
2a03:0040 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
2a03:8040 "" "" {Explore:false ProductID:false}: Arduino HID 0.2
050d:0980 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0900 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0910 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0912 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0551 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0750 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0751 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0375 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:0f51 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
050d:1100 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
10af:0004 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
10af:0001 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
10af:0008 "" "" {Explore:false ProductID:false}: Belkin/Liebert HID 0.18
0764:0005 "" "" {Explore:false ProductID:false}: CyberPower HID 0.6
0764:0501 "" "" {Explore:false ProductID:false}: CyberPower HID 0.6
0764:0601 "" "" {Explore:false ProductID:false}: CyberPower HID 0.6
05dd:041b "" "" {Explore:false ProductID:false}: Delta UPS HID 0.6
0483:a113 "" "" {Explore:false ProductID:false}: Ever HID 0.1
2e51:ffff "" "" {Explore:false ProductID:false}: Ever HID 0.1
2e51:0000 "" "" {Explore:false ProductID:false}: Ever HID 0.1
075d:0300 "" "" {Explore:false ProductID:false}: iDowell HID 0.2
1cb0:0038 "" "" {Explore:false ProductID:false}: Legrand HID 0.2
1cb0:0032 "" "" {Explore:false ProductID:false}: Legrand HID 0.2
06da:ffff "" "" {Explore:false ProductID:false}: Phoenixtec/Liebert HID 0.41
04d8:d004 "" "" {Explore:false ProductID:false}: openUPS HID 0.5
04d8:d005 "" "" {Explore:false ProductID:false}: openUPS HID 0.5
0d9f:00a2 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:00a3 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:00a4 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:00a5 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:00a6 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:0004 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
0d9f:0001 "" "" {Explore:false ProductID:false}: PowerCOM HID 0.6
4234:0002 "" "" {Explore:false ProductID:false}: Powervar HID 0.20
2e66:0201 "" "" {Explore:false ProductID:false}: Salicru HID 0.3
2e66:0202 "" "" {Explore:false ProductID:false}: Salicru HID 0.3
2e66:0203 "" "" {Explore:false ProductID:false}: Salicru HID 0.3
2e66:0300 "" "" {Explore:false ProductID:false}: Salicru HID 0.3
09ae:1003 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:1007 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:1008 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:1009 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:1010 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:1330 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2005 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2007 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2008 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2009 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2010 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2011 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2012 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2013 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:2014 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3008 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3009 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3010 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3011 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3012 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3013 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3014 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3015 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3016 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:3024 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4001 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4002 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4003 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4004 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4005 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4006 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4007 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
09ae:4008 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:0001 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1fe0 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1fe1 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1fe2 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1fe3 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1f06 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1f08 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1f09 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
03f0:1f0a "" "" {Explore:false ProductID:false}: TrippLite HID 0.84
05dd:a011 "" "" {Explore:false ProductID:false}: TrippLite HID 0.84 (refused: Delta 05dd:a011)
03f0:7777 "" "" {Explore:false ProductID:false}: none
03f0:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
0463:7777 "" "" {Explore:false ProductID:false}: none (refused: Eaton / MGE 0463:7777)
0463:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
047c:7777 "" "" {Explore:false ProductID:false}: none
047c:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
0483:7777 "" "" {Explore:false ProductID:false}: none (refused: Ever 0483:7777)
0483:7777 "" "" {Explore:false ProductID:true}: Ever HID 0.1
04b3:7777 "" "" {Explore:false ProductID:false}: none (refused: Eaton / MGE 04b3:7777)
04b3:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
04d8:7777 "" "" {Explore:false ProductID:false}: none (refused: openUPS 04d8:7777)
04d8:7777 "" "" {Explore:false ProductID:true}: openUPS HID 0.5
050d:7777 "" "" {Explore:false ProductID:false}: none (refused: Belkin 050d:7777)
050d:7777 "" "" {Explore:false ProductID:true}: Belkin/Liebert HID 0.18
051d:7777 "" "" {Explore:false ProductID:false}: none (refused: APC 051d:7777)
051d:7777 "" "" {Explore:false ProductID:true}: APC HID 0.98
0592:7777 "" "" {Explore:false ProductID:false}: none (refused: Eaton / MGE 0592:7777)
0592:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
05dd:7777 "" "" {Explore:false ProductID:false}: none (refused: Delta 05dd:7777)
05dd:7777 "" "" {Explore:false ProductID:true}: Delta UPS HID 0.6
06da:7777 "" "" {Explore:false ProductID:false}: none (refused: Liebert 06da:7777)
06da:7777 "" "" {Explore:false ProductID:true}: Phoenixtec/Liebert HID 0.41
075d:7777 "" "" {Explore:false ProductID:false}: none (refused: iDowell 075d:7777)
075d:7777 "" "" {Explore:false ProductID:true}: iDowell HID 0.2
0764:7777 "" "" {Explore:false ProductID:false}: none (refused: CyberPower 0764:7777)
0764:7777 "" "" {Explore:false ProductID:true}: CyberPower HID 0.6
09ae:7777 "" "" {Explore:false ProductID:false}: none (refused: TrippLite 09ae:7777)
09ae:7777 "" "" {Explore:false ProductID:true}: TrippLite HID 0.84
0d9f:7777 "" "" {Explore:false ProductID:false}: none (refused: PowerCOM 0d9f:7777)
0d9f:7777 "" "" {Explore:false ProductID:true}: PowerCOM HID 0.6
10af:7777 "" "" {Explore:false ProductID:false}: none (refused: Liebert 10af:7777)
10af:7777 "" "" {Explore:false ProductID:true}: Belkin/Liebert HID 0.18
1cb0:7777 "" "" {Explore:false ProductID:false}: none (refused: Legrand 1cb0:7777)
1cb0:7777 "" "" {Explore:false ProductID:true}: Legrand HID 0.2
2341:7777 "" "" {Explore:false ProductID:false}: none (refused: Arduino 2341:7777)
2341:7777 "" "" {Explore:false ProductID:true}: Arduino HID 0.2
2a03:7777 "" "" {Explore:false ProductID:false}: none (refused: Arduino 2a03:7777)
2a03:7777 "" "" {Explore:false ProductID:true}: Arduino HID 0.2
2b2d:7777 "" "" {Explore:false ProductID:false}: none (refused: Eaton / MGE 2b2d:7777)
2b2d:7777 "" "" {Explore:false ProductID:true}: MGE HID 1.46
2e51:7777 "" "" {Explore:false ProductID:false}: none (refused: Ever 2e51:7777)
2e51:7777 "" "" {Explore:false ProductID:true}: Ever HID 0.1
2e66:7777 "" "" {Explore:false ProductID:false}: none (refused: Salicru 2e66:7777)
2e66:7777 "" "" {Explore:false ProductID:true}: Salicru HID 0.3
4234:7777 "" "" {Explore:false ProductID:false}: none (refused: Powervar 4234:7777)
4234:7777 "" "" {Explore:false ProductID:true}: Powervar HID 0.20
09ae:0001 "" "" {Explore:false ProductID:false}: none (refused: Tripp Lite 09ae/0001)
09ae:0001 "" "" {Explore:false ProductID:true}: none (refused: Tripp Lite 09ae/0001)
0d9f:0002 "" "" {Explore:false ProductID:false}: none (refused: Powercom 0d9f/0002)
0d9f:0002 "" "" {Explore:false ProductID:true}: none (refused: Powercom 0d9f/0002)
050d:0218 "" "" {Explore:false ProductID:false}: none
050d:0218 "" "" {Explore:false ProductID:true}: none
06da:ffff "AEG Power Solutions" "" {Explore:false ProductID:false}: MGE HID 1.46
06da:ffff "AEG Power Solutions" "" {Explore:false ProductID:true}: MGE HID 1.46
06da:ffff "" "PROTECT NAS AEG" {Explore:false ProductID:false}: MGE HID 1.46
06da:ffff "" "PROTECT NAS AEG" {Explore:false ProductID:true}: MGE HID 1.46
06da:1234 "" "AEG" {Explore:false ProductID:false}: MGE HID 1.46
06da:1234 "" "AEG" {Explore:false ProductID:true}: MGE HID 1.46
1234:5678 "" "" {Explore:false ProductID:false}: none
1234:5678 "" "" {Explore:false ProductID:true}: none
051d:0002 "" "" {Explore:true ProductID:false}: EXPLORE HID 0.2
1234:5678 "" "" {Explore:true ProductID:false}: EXPLORE HID 0.2
