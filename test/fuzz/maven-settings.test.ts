import { describeSuite } from './support/describe-suite.js';
import { suite } from './maven-settings.suite.js';

describeSuite(suite);
