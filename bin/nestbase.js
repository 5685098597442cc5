#!/usr/bin/env node
'use strict';
require('../scripts/paths.js');
require('../dist/apps/standalone/src/main.js');
