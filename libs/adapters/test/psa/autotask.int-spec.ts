import { psaContract } from './psa-contract';

psaContract('autotask');
