import { psaContract } from './psa-contract';

psaContract('halopsa');
