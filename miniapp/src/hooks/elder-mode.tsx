// 长辈模式: larger type and spacing on every page. Remembered locally (so it applies before the
// network answers) and on the server (so it follows the citizen to another phone).
import Taro from '@tarojs/taro';
import { createContext, useCallback, useContext, useState, type PropsWithChildren } from 'react';

const KEY = 'onewindow.elderMode';

interface ElderMode {
  elder: boolean;
  setElder: (value: boolean) => void;
}

const ElderModeContext = createContext<ElderMode>({ elder: false, setElder: () => undefined });

export function ElderModeProvider({ children }: PropsWithChildren) {
  const [elder, setState] = useState<boolean>(() => Taro.getStorageSync<boolean>(KEY) === true);
  const setElder = useCallback((value: boolean) => {
    Taro.setStorageSync(KEY, value);
    setState(value);
  }, []);
  return <ElderModeContext.Provider value={{ elder, setElder }}>{children}</ElderModeContext.Provider>;
}

export function useElderMode(): ElderMode {
  return useContext(ElderModeContext);
}
