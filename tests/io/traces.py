"""Hand-written getevent traces with the samples SPEC 10 says they give.

Axes and screens are chosen so that dp values are exact: ``expected`` lists
(t ms, x dp, y dp, action, pointer) per sample.
"""

from gestcore import Action

D, U, M = int(Action.DOWN), int(Action.UP), int(Action.MOVE)
PD, PU = int(Action.POINTER_DOWN), int(Action.POINTER_UP)

# -- multi-touch B: recorded with `getevent -lt /dev/input/event2` (no device names).
# Axes 0..1079 x 0..2399 on a 1080x2400 screen at density 2: dp = raw / 2.
MT_B_AXES = {"x": (0, 1079), "y": (0, 2399)}
MT_B_SCREEN = (1080, 2400)
MT_B = """\
[    1000.000000] EV_ABS       ABS_MT_TRACKING_ID   00000010
[    1000.000000] EV_ABS       ABS_MT_POSITION_X    00000064
[    1000.000000] EV_ABS       ABS_MT_POSITION_Y    000000c8
[    1000.000000] EV_KEY       BTN_TOUCH            DOWN
[    1000.000000] EV_SYN       SYN_REPORT           00000000
[    1000.050000] EV_ABS       ABS_MT_TRACKING_ID   ffffffff
[    1000.050000] EV_KEY       BTN_TOUCH            UP
[    1000.050000] EV_SYN       SYN_REPORT           00000000
[    1001.000000] EV_ABS       ABS_MT_TRACKING_ID   00000011
[    1001.000000] EV_ABS       ABS_MT_POSITION_Y    000003e8
[    1001.000000] EV_SYN       SYN_REPORT           00000000
[    1001.016000] EV_ABS       ABS_MT_POSITION_Y    0000044c
[    1001.016000] EV_ABS       ABS_MT_PRESSURE      00000030
[    1001.016000] EV_SYN       SYN_REPORT           00000000
[    1001.032000] EV_ABS       ABS_MT_POSITION_Y    000004b0
[    1001.032000] EV_SYN       SYN_REPORT           00000000
[    1001.040000] EV_ABS       ABS_MT_PRESSURE      00000031
[    1001.040000] EV_SYN       SYN_REPORT           00000000
[    1001.048000] EV_ABS       ABS_MT_POSITION_Y    00000514
[    1001.048000] EV_SYN       SYN_REPORT           00000000
[    1001.100000] EV_ABS       ABS_MT_TRACKING_ID   ffffffff
[    1001.100000] EV_SYN       SYN_REPORT           00000000
[    1002.000000] EV_ABS       ABS_MT_SLOT          00000000
[    1002.000000] EV_ABS       ABS_MT_TRACKING_ID   00000012
[    1002.000000] EV_ABS       ABS_MT_POSITION_X    00000190
[    1002.000000] EV_ABS       ABS_MT_POSITION_Y    000004b0
[    1002.000000] EV_SYN       SYN_REPORT           00000000
[    1002.016000] EV_ABS       ABS_MT_SLOT          00000001
[    1002.016000] EV_ABS       ABS_MT_TRACKING_ID   00000013
[    1002.016000] EV_ABS       ABS_MT_POSITION_X    000002bc
[    1002.016000] EV_ABS       ABS_MT_POSITION_Y    000004b0
[    1002.016000] EV_SYN       SYN_REPORT           00000000
[    1002.032000] EV_ABS       ABS_MT_SLOT          00000000
[    1002.032000] EV_ABS       ABS_MT_POSITION_X    0000015e
[    1002.032000] EV_ABS       ABS_MT_SLOT          00000001
[    1002.032000] EV_ABS       ABS_MT_POSITION_X    000002ee
[    1002.032000] EV_SYN       SYN_REPORT           00000000
[    1002.048000] EV_ABS       ABS_MT_SLOT          00000000
[    1002.048000] EV_ABS       ABS_MT_POSITION_X    0000012c
[    1002.048000] EV_SYN       SYN_REPORT           00000000
[    1002.064000] EV_ABS       ABS_MT_TRACKING_ID   ffffffff
[    1002.064000] EV_SYN       SYN_REPORT           00000000
[    1002.080000] EV_ABS       ABS_MT_SLOT          00000001
[    1002.080000] EV_ABS       ABS_MT_POSITION_Y    000004c4
[    1002.080000] EV_SYN       SYN_REPORT           00000000
[    1002.096000] EV_ABS       ABS_MT_TRACKING_ID   ffffffff
[    1002.096000] EV_SYN       SYN_REPORT           00000000
[    1003.000000] EV_ABS       ABS_MT_TRACKING_ID   00000014
[    1003.000000] EV_ABS       ABS_MT_POSITION_X    00000320
[    1003.000000] EV_SYN       SYN_REPORT           00000000
[    1003.016000] EV_ABS       ABS_MT_SLOT          00000000
[    1003.016000] EV_ABS       ABS_MT_TRACKING_ID   00000015
[    1003.016000] EV_ABS       ABS_MT_POSITION_X    00000064
[    1003.016000] EV_SYN       SYN_REPORT           00000000
[    1003.032000] EV_ABS       ABS_MT_SLOT          00000001
[    1003.032000] EV_ABS       ABS_MT_TRACKING_ID   ffffffff
[    1003.032000] EV_SYN       SYN_REPORT           00000000
[    1003.048000] EV_ABS       ABS_MT_SLOT          00000002
[    1003.048000] EV_ABS       ABS_MT_TRACKING_ID   00000016
[    1003.048000] EV_ABS       ABS_MT_POSITION_X    00000200
[    1003.048000] EV_ABS       ABS_MT_POSITION_Y    00000100
[    1003.048000] EV_SYN       SYN_REPORT           00000000
"""
MT_B_EXPECTED = [
    # a tap
    (1000000.0, 50.0, 100.0, D, 0),
    (1000050.0, 50.0, 100.0, U, 0),
    # a drag down; X is not sent again (the slot keeps it), a pressure-only frame gives nothing
    (1001000.0, 50.0, 500.0, D, 0),
    (1001016.0, 50.0, 550.0, M, 0),
    (1001032.0, 50.0, 600.0, M, 0),
    (1001048.0, 50.0, 650.0, M, 0),
    (1001100.0, 50.0, 650.0, U, 0),
    # a two-finger pinch: one MULTI_TOUCH record
    (1002000.0, 200.0, 600.0, D, 0),
    (1002016.0, 350.0, 600.0, PD, 1),
    (1002032.0, 175.0, 600.0, M, 0),
    (1002032.0, 375.0, 600.0, M, 1),
    (1002048.0, 150.0, 600.0, M, 0),  # only pointer 0 moved: a MOVE for both
    (1002048.0, 375.0, 600.0, M, 1),
    (1002064.0, 150.0, 600.0, PU, 0),
    (1002080.0, 375.0, 610.0, M, 1),
    (1002096.0, 375.0, 610.0, U, 1),
    # slot 1 lands first (pointer 0), slot 0 second (pointer 1); both keep old
    # Y values; slot 1 lifts, slot 2 lands on the free pointer 0; two stay down
    (1003000.0, 400.0, 610.0, D, 0),
    (1003016.0, 50.0, 600.0, PD, 1),
    (1003032.0, 400.0, 610.0, PU, 0),
    (1003048.0, 256.0, 128.0, PD, 0),
]

# -- multi-touch A with device names, headers and a second device (`getevent -lt`).
# Axes 0..4095 on a 1024x2048 screen at density 1: x dp = raw / 4, y dp = raw / 2.
MT_A_AXES = {"x": (0, 4095), "y": (0, 4095)}
MT_A_SCREEN = (1024, 2048)
MT_A = """\
add device 1: /dev/input/event1
  name:     "mtk-tpd"
add device 2: /dev/input/event0
  name:     "mtk-kpd"
[   500.100000] /dev/input/event1: EV_KEY       BTN_TOUCH            DOWN
[   500.100000] /dev/input/event1: EV_ABS       ABS_MT_TOUCH_MAJOR   00000004
[   500.100000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000400
[   500.100000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.100000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.100000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   500.110000] /dev/input/event0: EV_KEY       KEY_VOLUMEDOWN       DOWN
[   500.110000] /dev/input/event0: EV_SYN       SYN_REPORT           00000000
[   500.116000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000400
[   500.116000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.116000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.116000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000c00
[   500.116000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.116000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.116000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   500.132000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000380
[   500.132000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.132000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.132000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000c80
[   500.132000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.132000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.132000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   500.148000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000380
[   500.148000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000800
[   500.148000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.148000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   500.164000] /dev/input/event1: EV_KEY       BTN_TOUCH            UP
[   500.164000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   500.164000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   500.170000] /dev/input/event0: EV_KEY       KEY_VOLUMEDOWN       UP
[   500.170000] /dev/input/event0: EV_SYN       SYN_REPORT           00000000
[   501.000000] /dev/input/event1: EV_ABS       ABS_MT_TRACKING_ID   00000005
[   501.000000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_X    00000100
[   501.000000] /dev/input/event1: EV_ABS       ABS_MT_POSITION_Y    00000200
[   501.000000] /dev/input/event1: EV_SYN       SYN_MT_REPORT        00000000
[   501.000000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
[   501.050000] /dev/input/event1: EV_SYN       SYN_REPORT           00000000
"""
MT_A_EXPECTED = [
    (500100.0, 256.0, 1024.0, D, 0),
    (500116.0, 768.0, 1024.0, PD, 1),  # the first contact did not move: no MOVE
    (500132.0, 224.0, 1024.0, M, 0),
    (500132.0, 800.0, 1024.0, M, 1),
    (500148.0, 800.0, 1024.0, PU, 1),  # anonymous contacts: the last one listed is lost
    (500164.0, 224.0, 1024.0, U, 0),  # a frame with an empty SYN_MT_REPORT: all up
    (501000.0, 64.0, 256.0, D, 0),
    (501050.0, 64.0, 256.0, U, 0),  # a frame with no SYN_MT_REPORT at all: all up
]

# -- single touch, hexadecimal codes (`getevent -t`), CRLF line ends, ends with the finger down.
# Axes 0..1023 on a 512x1024 screen at density 2: x dp = raw / 4, y dp = raw / 2.
SINGLE_AXES = {"x": (0, 1023), "y": (0, 1023)}
SINGLE_SCREEN = (512, 1024)
SINGLE = (
    "[      20.000000] /dev/input/event3: 0001 014a 00000001\r\n"
    "[      20.000000] /dev/input/event3: 0003 0000 00000100\r\n"
    "[      20.000000] /dev/input/event3: 0003 0001 00000200\r\n"
    "[      20.000000] /dev/input/event3: 0003 0018 00000040\r\n"
    "[      20.000000] /dev/input/event3: 0000 0000 00000000\r\n"
    "[      20.030000] /dev/input/event3: 0001 014a 00000000\r\n"
    "[      20.030000] /dev/input/event3: 0000 0000 00000000\r\n"
    "[      21.000000] /dev/input/event3: 0001 014a 00000001\r\n"
    "[      21.000000] /dev/input/event3: 0003 0000 00000180\r\n"
    "[      21.000000] /dev/input/event3: 0000 0000 00000000\r\n"
    "[      21.020000] /dev/input/event3: 0003 0000 000001c0\r\n"
    "[      21.020000] /dev/input/event3: 0000 0000 00000000\r\n"
    "[      21.040000] /dev/input/event3: 0003 0018 00000041\r\n"
    "[      21.040000] /dev/input/event3: 0000 0000 00000000\r\n"
    "[      21.060000] /dev/input/event3: 0003 0000 00000200\r\n"
    "[      21.060000] /dev/input/event3: 0000 0000 00000000\r\n"
)
SINGLE_EXPECTED = [
    (20000.0, 64.0, 256.0, D, 0),
    (20030.0, 64.0, 256.0, U, 0),
    (21000.0, 96.0, 256.0, D, 0),  # Y was not sent again: the axis keeps its value
    (21020.0, 112.0, 256.0, M, 0),
    (21060.0, 128.0, 256.0, M, 0),  # pressure only at 21.040: no sample
]
