import { describeSuite } from './support/describe-suite.js';
import { suite } from './ini.suite.js';

describeSuite(suite);
