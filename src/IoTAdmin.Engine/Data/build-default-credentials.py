#!/usr/bin/env python3
"""Rebuilds default-credentials.csv from the public lists in shared/data/default-creds.

Usage: python3 build-default-credentials.py <shared/data/default-creds> > default-credentials.csv
"""
import csv
import re
import sys

# Vendors and product families of cameras, DVR/NVR, routers/gateways and building control.
IOT_VENDORS = re.compile(
    r"hikvision|dahua|axis|vivotek|foscam|mobotix|hanwha|samsung|bosch|panasonic|sony|acti\b|avtech|"
    r"arecont|geovision|ubiquiti|amcrest|reolink|lorex|uniview|grandstream|trendnet|d-link|dlink|"
    r"edimax|pelco (sarix|endura (ssh|web))|honeywell|netgear|tp-link|linksys|zyxel|draytek|huawei|zte|"
    r"mikrotik|asus|belkin|siemens|schneider|johnson controls|moxa|lantronix|apc|ip camera|ip-cam|"
    r"webcam|camera|dvr|nvr|router|dd-wrt|openwrt|raspberry|digital watchdog|flir|longse|lts|"
    r"march networks|northern|oncam|q-see|sanyo|scallop|speco|starvedia|sunell|swann|toshiba|w-box|"
    r"icatch|cambium|actiontec|aztech|digicom|digitus",
    re.IGNORECASE)
EXCLUDED = re.compile(r"mssql|\(ftp\)|windows login|sony ericsson|fujitsu|rps", re.IGNORECASE)


def value(text):
    text = text.strip()
    return "" if text in ("<blank>", "(none)") else text


def main(folder):
    rows = []
    seen = set()
    with open(f"{folder}/seclists-mirai-botnet.txt", encoding="utf-8") as mirai:
        for line in mirai:
            parts = line.split(None, 1)
            if not parts:
                continue
            row = ("", value(parts[0]), value(parts[1] if len(parts) > 1 else ""), "mirai")
            if row[1:3] not in seen:
                seen.add(row[1:3])
                rows.append(row)
    with open(f"{folder}/DefaultCreds-Cheat-Sheet.csv", encoding="utf-8", newline="") as sheet:
        for record in csv.DictReader(sheet):
            vendor = record["productvendor"].strip()
            if not IOT_VENDORS.search(vendor) or EXCLUDED.search(vendor):
                continue
            row = (vendor, value(record["username"]), value(record["password"]), "defaultcreds")
            if row[1] and (row[0], row[1], row[2]) not in seen:
                seen.add((row[0], row[1], row[2]))
                rows.append(row)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(("vendor", "username", "password", "source"))
    out.writerows(rows)


main(sys.argv[1])
