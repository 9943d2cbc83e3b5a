import { describeSuite } from './support/describe-suite.js';
import { suite } from './docker-config.suite.js';

describeSuite(suite);
